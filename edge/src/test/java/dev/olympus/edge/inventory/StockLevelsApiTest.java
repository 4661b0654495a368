package dev.olympus.edge.inventory;

import static dev.olympus.edge.RestaurantFixtures.POS_TOKEN;
import static dev.olympus.edge.RestaurantFixtures.json;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.config.ConfigFixtures;
import dev.olympus.edge.realtime.TestSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock on hand from the latest count and the movements after it, and low-stock alerts, on an
 * offline edge through the LAN API.
 */
class StockLevelsApiTest {
  @TempDir static Path dir;
  static EdgeServer edge;
  static String base;

  @BeforeAll
  static void start() {
    edge = RestaurantFixtures.start(dir, s -> s);
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterAll
  static void stop() {
    edge.close();
  }

  static JsonNode move(String item, String kind, String quantity) {
    var r =
        send(
            "POST",
            base + "/api/v1/inventory/movements",
            POS_TOKEN,
            "{\"item_id\":\""
                + item
                + "\",\"kind\":\""
                + kind
                + "\",\"quantity\":\""
                + quantity
                + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  static JsonNode onHand(String item) {
    var r = send("GET", base + "/api/v1/inventory/on-hand/" + item, POS_TOKEN, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  static List<JsonNode> alerts(String item, String status) {
    var r =
        send(
            "GET",
            base + "/api/v1/inventory/alerts" + (status == null ? "" : "?status=" + status),
            POS_TOKEN,
            null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    json(r)
        .get("alerts")
        .forEach(
            a -> {
              if (a.get("item_id").asText().equals(item)) {
                out.add(a);
              }
            });
    return out;
  }

  @Test
  void onHand_isLatestCountPlusLaterMovements() {
    move("mi-soda", "receipt", "24");
    move("mi-soda", "sale", "2");
    assertThat(onHand("mi-soda").get("on_hand").asText()).isEqualTo("22");
    assertThat(onHand("mi-soda").get("last_count").isNull()).isTrue();

    JsonNode count = move("mi-soda", "count", "20");
    move("mi-soda", "sale", "1.5");
    move("mi-soda", "waste", "0.5");

    JsonNode now = onHand("mi-soda");
    // The count replaces everything before it: 20 − 1.5 − 0.5.
    assertThat(now.get("on_hand").asText()).isEqualTo("18");
    assertThat(now.get("last_count").get("id").asText()).isEqualTo(count.get("id").asText());
    assertThat(now.get("last_count").get("source").asText()).isEqualTo("edge");
    assertThat(now.get("movements_since_count").asInt()).isEqualTo(2);
    assertThat(now.get("low_stock").asBoolean()).isFalse();

    var all = json(send("GET", base + "/api/v1/inventory/on-hand", POS_TOKEN, null));
    boolean listed = false;
    for (JsonNode i : all.get("items")) {
      if (i.get("item_id").asText().equals("mi-soda")) {
        listed = true;
        assertThat(i.get("on_hand").asText()).isEqualTo("18");
      }
    }
    assertThat(listed).isTrue();
  }

  @Test
  void onHand_unknownItemIs404BadIdIs400() {
    var unknown = send("GET", base + "/api/v1/inventory/on-hand/no-such-item", POS_TOKEN, null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("field").asText()).isEqualTo("item_id");
    var bad = send("GET", base + "/api/v1/inventory/on-hand/bad%20id", POS_TOKEN, null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("field").asText()).isEqualTo("item_id");
    var badStatus = send("GET", base + "/api/v1/inventory/alerts?status=closed", POS_TOKEN, null);
    assertThat(badStatus.statusCode()).isEqualTo(400);
    assertThat(json(badStatus).get("field").asText()).isEqualTo("status");
    var noToken = send("GET", base + "/api/v1/inventory/on-hand", null, null);
    assertThat(noToken.statusCode()).isEqualTo(401);
  }

  @Test
  void lowStock_oneAlertPerCrossing_clearedAboveTheLevel_andSentOnTheLanSocket() throws Exception {
    edge.records()
        .put(
            "inventory_items",
            "flour",
            Map.of("name", "Flour (kg)", "reorder_level", "5"),
            OptionalLong.empty());
    move("flour", "receipt", "10");
    move("flour", "waste", "4");
    assertThat(alerts("flour", null)).isEmpty();

    try (TestSocket socket =
        TestSocket.connect(
            edge.port(), POS_TOKEN, "pos-1", "loc-1", edge.records().latestLanSeq())) {
      move("flour", "sale", "1"); // 5: at the reorder level
      JsonNode frame = socket.next();
      while (!"inventory_alerts".equals(frame.path("collection").asText())) {
        frame = socket.next();
      }
      assertThat(frame.get("type").asText()).isEqualTo("inventory_update");
      assertThat(frame.get("action").asText()).isEqualTo("low_stock_alert");
      assertThat(frame.get("data").get("item_id").asText()).isEqualTo("flour");
      assertThat(frame.get("data").get("on_hand").asText()).isEqualTo("5");
    }
    move("flour", "sale", "1"); // 4: still the same crossing
    List<JsonNode> open = alerts("flour", null);
    assertThat(open).hasSize(1);
    assertThat(open.get(0).get("reorder_level").asText()).isEqualTo("5");
    assertThat(onHand("flour").get("low_stock").asBoolean()).isTrue();

    move("flour", "receipt", "10"); // 14: cleared
    assertThat(alerts("flour", null)).isEmpty();
    List<JsonNode> all = alerts("flour", "all");
    assertThat(all).hasSize(1);
    assertThat(all.get(0).get("status").asText()).isEqualTo("cleared");
    assertThat(all.get(0).get("on_hand").asText()).isEqualTo("14");

    move("flour", "sale", "10"); // 4 again: a new crossing, a new alert
    assertThat(alerts("flour", null)).hasSize(1);
    assertThat(alerts("flour", "all")).hasSize(2);
    // Alerts are synced records, normal priority.
    String openId = alerts("flour", null).get(0).get("id").asText();
    assertThat(edge.records().find(StockLevels.ALERTS, openId)).isPresent();
  }

  @Test
  void lowStock_levelFromTheMenuItemConfig_aCountBelowItOpensAnAlert() {
    FullSyncPayload p = RestaurantFixtures.payload(2);
    Map<String, List<Map<String, Object>>> entities = new LinkedHashMap<>(p.entities());
    List<Map<String, Object>> items = new ArrayList<>();
    for (Map<String, Object> item : p.entities().get("menu_items")) {
      Map<String, Object> copy = new LinkedHashMap<>(item);
      if (copy.get("id").equals("mi-fries")) {
        copy.put("reorder_level", "3");
      }
      items.add(copy);
    }
    entities.put("menu_items", items);
    ConfigFixtures.load(
        edge,
        new FullSyncPayload(
            2, p.timestamp(), p.propertyId(), p.enterprise(), p.property(), entities));

    move("mi-fries", "count", "12");
    assertThat(onHand("mi-fries").get("reorder_level").asText()).isEqualTo("3");
    assertThat(alerts("mi-fries", "all")).isEmpty();
    move("mi-fries", "count", "2"); // a count can cross the level too
    List<JsonNode> open = alerts("mi-fries", null);
    assertThat(open).hasSize(1);
    assertThat(open.get(0).get("on_hand").asText()).isEqualTo("2");
  }
}
