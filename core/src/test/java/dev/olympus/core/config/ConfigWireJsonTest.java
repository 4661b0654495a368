package dev.olympus.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigWireJsonTest {
  private final ObjectMapper json = new ObjectMapper();

  private static FullSyncPayload payload(boolean giftCards) {
    Map<String, List<Map<String, Object>>> entities = new java.util.LinkedHashMap<>();
    entities.put("rvcs", List.of(Map.of("id", "rvc-1", "name", "Dining")));
    entities.put(
        "menu_items",
        List.of(Map.of("id", "mi-1", "name", "Burger", "price", "12.50", "slu_id", "s1")));
    if (giftCards) {
      entities.put("gift_cards", List.of(Map.of("id", "gc-1", "code", "X", "balance", "5.00")));
    }
    return new FullSyncPayload(
        17,
        "2026-11-22T03:00:00Z",
        "prop-1",
        Map.of("id", "ent-1", "name", "Acme"),
        Map.of("id", "prop-1", "name", "Downtown", "features", Map.of("gift_cards", giftCards)),
        entities);
  }

  @Test
  void fullSync_serialisesSeed003KeysInOrder() throws Exception {
    JsonNode tree = json.readTree(json.writeValueAsString(payload(false)));

    List<String> keys = new java.util.ArrayList<>();
    tree.fieldNames().forEachRemaining(keys::add);
    assertThat(keys.subList(0, 8))
        .containsExactly(
            "version",
            "timestamp",
            "propertyId",
            "enterprise",
            "property",
            "revenueCenters",
            "employees",
            "roles");
    assertThat(keys).contains("menuItems", "orderDeviceKds", "workstationServiceBindings");
    assertThat(keys).doesNotContain("giftCards", "loyaltyPrograms", "serviceHostMetrics");
    assertThat(tree.get("menuItems").get(0).get("price").textValue()).isEqualTo("12.50");
    assertThat(tree.get("employees").isEmpty()).isTrue();
  }

  @Test
  void fullSync_roundTrip_keepsValueAndTierSixArrays() throws Exception {
    FullSyncPayload original = payload(true);

    FullSyncPayload back = json.readValue(json.writeValueAsString(original), FullSyncPayload.class);

    assertThat(back.toSnapshot()).isEqualTo(original.toSnapshot());
    assertThat(back.entities("gift_cards")).hasSize(1);
    assertThat(back.version()).isEqualTo(17);
    assertThat(back.toSnapshot().entities("properties")).containsKey("prop-1");
  }

  @Test
  void delta_roundTrip_usesCamelCaseAndNullDataForDelete() throws Exception {
    DeltaSyncPayload delta =
        DeltaSyncPayload.delta(
            3,
            5,
            "2026-11-22T03:00:00Z",
            "prop-1",
            List.of(
                new ConfigChange(
                    "c4",
                    4,
                    "menu_items",
                    "mi-1",
                    ConfigOperation.UPDATE,
                    Map.of("id", "mi-1", "price", "13.00"),
                    "2026-11-22T02:59:00Z",
                    "admin"),
                new ConfigChange(
                    "c5",
                    5,
                    "employees",
                    "e-1",
                    ConfigOperation.DELETE,
                    null,
                    "2026-11-22T02:59:30Z",
                    null)));

    String text = json.writeValueAsString(delta);
    DeltaSyncPayload back = json.readValue(text, DeltaSyncPayload.class);

    assertThat(back).isEqualTo(delta);
    JsonNode tree = json.readTree(text);
    assertThat(tree.get("fromVersion").asLong()).isEqualTo(3);
    assertThat(tree.get("fullSyncRequired").asBoolean()).isFalse();
    assertThat(tree.get("changes").get(0).get("entityType").textValue()).isEqualTo("menu_items");
    assertThat(tree.get("changes").get(1).get("operation").textValue()).isEqualTo("DELETE");
    assertThat(tree.get("changes").get(1).has("data")).isFalse();
  }

  @Test
  void snapshotApplyDelta_fromFullPayload_reachesDeltaVersion() {
    ConfigSnapshot base = payload(false).toSnapshot();
    DeltaSyncPayload delta =
        DeltaSyncPayload.delta(
            17,
            19,
            "2026-11-22T03:00:00Z",
            "prop-1",
            List.of(
                new ConfigChange(
                    "c18",
                    18,
                    "menu_items",
                    "mi-1",
                    ConfigOperation.DELETE,
                    null,
                    "2026-11-22T02:59:00Z",
                    null),
                new ConfigChange(
                    "c19",
                    19,
                    "slus",
                    "s1",
                    ConfigOperation.INSERT,
                    Map.of("id", "s1", "name", "Burgers"),
                    "2026-11-22T02:59:30Z",
                    null)));

    ConfigSnapshot after = base.apply(delta);

    assertThat(after.version()).isEqualTo(19);
    assertThat(after.entities("menu_items")).isEmpty();
    assertThat(after.entities("slus")).containsKey("s1");
    assertThat(after.entities("rvcs")).containsKey("rvc-1");
    assertThatThrownBy(() -> after.apply(delta))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("since=19");
    assertThatThrownBy(
            () ->
                base.apply(
                    DeltaSyncPayload.fullSyncRequired(
                        17, 300, "2026-11-22T03:00:00Z", "prop-1", DeltaPlan.GAP_TOO_LARGE)))
        .hasMessageContaining("fullSyncRequired");
  }

  @Test
  void fullSyncRequired_carriesReasonAndNoChanges() throws Exception {
    DeltaSyncPayload answer =
        DeltaSyncPayload.fullSyncRequired(
            1, 300, "2026-11-22T03:00:00Z", "prop-1", DeltaPlan.GAP_TOO_LARGE);

    JsonNode tree = json.readTree(json.writeValueAsString(answer));

    assertThat(tree.get("fullSyncRequired").asBoolean()).isTrue();
    assertThat(tree.get("reason").textValue()).isEqualTo("version_gap_too_large");
    assertThat(tree.get("changes").isEmpty()).isTrue();
  }
}
