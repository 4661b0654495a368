package dev.olympus.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigRegistryTest {
  private static final List<String> SEED_003_TABLES =
      List.of(
          "enterprises",
          "properties",
          "rvcs",
          "employees",
          "roles",
          "privileges",
          "job_codes",
          "slus",
          "menu_items",
          "modifier_groups",
          "modifiers",
          "modifier_group_modifiers",
          "menu_item_modifier_groups",
          "tax_groups",
          "tenders",
          "discounts",
          "service_charges",
          "workstations",
          "printers",
          "kds_devices",
          "print_classes",
          "order_devices",
          "print_class_routing",
          "order_device_printers",
          "order_device_kds",
          "service_hosts",
          "workstation_service_bindings",
          "service_host_metrics",
          "iot_devices",
          "notification_contacts",
          "gift_cards",
          "loyalty_programs",
          "loyalty_members",
          "schedules",
          "shifts");

  @Test
  void all_listsEverySeed003TableOnceInPayloadOrder() {
    assertThat(ConfigRegistry.all()).extracting(EntityType::table).isEqualTo(SEED_003_TABLES);
  }

  @Test
  void payloadKeys_areSeed003CamelCaseNames() {
    assertThat(ConfigRegistry.require("rvcs").payloadKey()).isEqualTo("revenueCenters");
    assertThat(ConfigRegistry.require("loyalty_members").payloadKey())
        .isEqualTo("loyaltyEnrollments");
    assertThat(ConfigRegistry.require("order_device_kds").payloadKey()).isEqualTo("orderDeviceKds");
    assertThat(ConfigRegistry.require("service_host_metrics").synced()).isFalse();
    assertThat(ConfigRegistry.synced()).extracting(EntityType::payloadKey).doesNotHaveDuplicates();
  }

  @Test
  void references_pointAtRegisteredTypes() {
    for (EntityType type : ConfigRegistry.all()) {
      for (FieldSpec ref : type.references()) {
        assertThat(ConfigRegistry.find(ref.references()))
            .as(type.table() + "." + ref.name())
            .isPresent();
      }
    }
  }

  @Test
  void tierSix_hasAFeatureFlagAndOnlyTierSix() {
    for (EntityType type : ConfigRegistry.all()) {
      assertThat(type.featureFlag() != null).as(type.table()).isEqualTo(type.tier() == 6);
    }
  }

  @Test
  void validate_menuItemWithNumberPrice_namesPriceAndTheExpectedKind() {
    EntityType items = ConfigRegistry.require("menu_items");
    Map<String, Object> item =
        Map.of("name", "Burger", "price", 12.5, "slu_id", "s1", "tax_group_id", "t1");

    List<FieldProblem> problems = items.validate(item, true);

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).field()).isEqualTo("price");
    assertThat(problems.get(0).message()).contains("decimal string").contains("a number");
  }

  @Test
  void validate_missingRequiredFields_namesEach() {
    List<FieldProblem> problems =
        ConfigRegistry.require("employees").validate(Map.of("first_name", "Ann"), true);

    assertThat(problems)
        .extracting(FieldProblem::field)
        .containsExactly("last_name", "role_id", "pin");
    assertThat(problems).extracting(FieldProblem::code).containsOnly("missing_field");
  }

  @Test
  void validate_replaceWithoutPin_keepsStoredHashSoPinIsNotRequired() {
    Map<String, Object> employee = Map.of("first_name", "A", "last_name", "B", "role_id", "r1");

    assertThat(ConfigRegistry.require("employees").validate(employee, false)).isEmpty();
  }

  @Test
  void validate_valueOutsideAllowed_listsAllowedValues() {
    List<FieldProblem> problems =
        ConfigRegistry.require("tenders").validate(Map.of("name", "Cash", "type", "bitcoin"), true);

    assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("cash"));
  }

  @Test
  void validate_roleWithNonStringPrivilege_isRefused() {
    List<FieldProblem> problems =
        ConfigRegistry.require("roles")
            .validate(Map.of("name", "Server", "privileges", List.of("void_item", 7)), true);

    assertThat(problems).singleElement().extracting(FieldProblem::field).isEqualTo("privileges");
  }

  @Test
  void wireData_dropsSecretsPlaintextPinsAndForbiddenNames() {
    Map<String, Object> tender = new HashMap<>();
    tender.put("id", "t1");
    tender.put("name", "Visa");
    tender.put("api_key", "sk_live_1");
    tender.put("secret_key", "whsec_1");
    tender.put("password", "hunter2");
    Map<String, Object> employee = Map.of("id", "e1", "pin", "1234", "pin_hash", "$2a$10$x");

    assertThat(ConfigRegistry.require("tenders").wireData(tender)).containsOnlyKeys("id", "name");
    assertThat(ConfigRegistry.require("employees").wireData(employee))
        .containsOnlyKeys("id", "pin_hash");
  }

  @Test
  void enabledFor_tierSixFollowsFeatureFlags() {
    EntityType giftCards = ConfigRegistry.require("gift_cards");
    Map<String, Object> on = Map.of("features", Map.of("gift_cards", true));
    Map<String, Object> off = Map.of("features", Map.of("gift_cards", false));

    assertThat(giftCards.enabledFor(on)).isTrue();
    assertThat(giftCards.enabledFor(off)).isFalse();
    assertThat(giftCards.enabledFor(Map.of())).isFalse();
    assertThat(ConfigRegistry.require("menu_items").enabledFor(Map.of())).isTrue();
  }

  @Test
  void require_unknownType_namesItAndTheKnownOnes() {
    assertThatThrownBy(() -> ConfigRegistry.require("menus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'menus'")
        .hasMessageContaining("menu_items");
  }

  @Test
  void deltaPlan_decidesByGapHorizonAndAhead() {
    assertThat(DeltaPlan.decide(5, 105, 0).verdict()).isEqualTo(DeltaPlan.Verdict.DELTA);
    assertThat(DeltaPlan.decide(4, 105, 0).reason()).isEqualTo(DeltaPlan.GAP_TOO_LARGE);
    assertThat(DeltaPlan.decide(9, 20, 10).reason()).isEqualTo(DeltaPlan.BELOW_HORIZON);
    assertThat(DeltaPlan.decide(10, 20, 10).verdict()).isEqualTo(DeltaPlan.Verdict.DELTA);
    assertThat(DeltaPlan.decide(21, 20, 0).verdict()).isEqualTo(DeltaPlan.Verdict.AHEAD_OF_CLOUD);
  }

  @Test
  void urgentReason_terminationPinRoleAndPrivileges() {
    Map<String, Object> active = Map.of("status", "active", "role_id", "r1", "pin_hash", "h1");

    assertThat(UrgentChanges.reason("employees", active, null))
        .contains(UrgentChanges.EMPLOYEE_TERMINATED);
    assertThat(
            UrgentChanges.reason(
                "employees",
                active,
                Map.of("status", "terminated", "role_id", "r1", "pin_hash", "h1")))
        .contains(UrgentChanges.EMPLOYEE_TERMINATED);
    assertThat(
            UrgentChanges.reason(
                "employees", active, Map.of("status", "active", "role_id", "r1", "pin_hash", "h2")))
        .contains(UrgentChanges.EMPLOYEE_PIN_CHANGED);
    assertThat(UrgentChanges.reason("employees", null, active)).isEmpty();
    assertThat(
            UrgentChanges.reason(
                "roles", Map.of("privileges", List.of("a")), Map.of("privileges", List.of("b"))))
        .contains(UrgentChanges.ROLE_PRIVILEGES_CHANGED);
    assertThat(UrgentChanges.reason("menu_items", Map.of(), null)).isEmpty();
  }
}
