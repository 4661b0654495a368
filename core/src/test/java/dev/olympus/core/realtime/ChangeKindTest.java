package dev.olympus.core.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChangeKindTest {
  /** Every type and action of seed 002's table, each from the change that should produce it. */
  @ParameterizedTest(name = "{0} {1}: {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "orders          | -                        | status=pending           | false | order_update/created",
        "orders          | status=pending           | status=preparing         | false | order_update/status_changed",
        "orders          | status=ready             | status=completed         | false | order_update/completed",
        "orders          | status=ready;tip=1       | status=ready;tip=2       | false | order_update/updated",
        "menu_items      | -                        | name=Fries               | false | menu_update/created",
        "menu_items      | name=Fries               | name=Curly Fries         | false | menu_update/updated",
        "menu_items      | name=Fries               | name=Fries               | true  | menu_update/deleted",
        "menu_items      | available=true           | available=false          | false | menu_update/availability_changed",
        "inventory_items | quantity=9;reorder_level=2 | quantity=8;reorder_level=2 | false | inventory_update/stock_changed",
        "inventory_items | -                        | quantity=9;reorder_level=2 | false | inventory_update/item_added",
        "inventory_items | quantity=9               | quantity=9               | true  | inventory_update/item_removed",
        "inventory_items | quantity=3;reorder_level=2 | quantity=2;reorder_level=2 | false | inventory_update/low_stock_alert",
        "tables          | status=available         | status=occupied          | false | table_update/occupied",
        "tables          | status=occupied          | status=available         | false | table_update/available",
        "tables          | status=available         | status=reserved          | false | table_update/reserved",
        "tables          | status=occupied          | status=cleaning          | false | table_update/cleaning",
        "users           | -                        | name=Ana;role=server     | false | user_update/created",
        "users           | name=Ana;role=server     | name=Ana M;role=server   | false | user_update/updated",
        "users           | name=Ana                 | name=Ana                 | true  | user_update/deleted",
        "users           | name=Ana;role=server     | name=Ana;role=manager    | false | user_update/role_changed",
        "printers        | -                        | name=Grill               | false | printer_update/added",
        "printers        | name=Grill               | name=Grill               | true  | printer_update/removed",
        "printers        | name=Grill;paper=80      | name=Grill;paper=58      | false | printer_update/configured",
        "printers        | name=Grill;station=grill | name=Grill;station=bar   | false | printer_update/assignment_changed",
      })
  void of_everyActionOfSeed002sTable(
      String collection, String before, String after, boolean deleted, String expected) {
    ChangeKind kind = ChangeKind.of(collection, fields(before), fields(after), deleted);
    assertThat(kind.type() + "/" + kind.action()).isEqualTo(expected);
  }

  /** {@code a=1;b=x} as a map ("true"/"false" and integers typed), {@code -} as null. */
  private static Map<String, Object> fields(String spec) {
    if (spec.equals("-")) {
      return null;
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (String pair : spec.split(";")) {
      String[] kv = pair.split("=", 2);
      String v = kv[1];
      out.put(
          kv[0],
          v.equals("true") || v.equals("false")
              ? (Object) Boolean.valueOf(v)
              : v.matches("-?\\d+") ? (Object) Integer.valueOf(v) : v);
    }
    return out;
  }

  @Test
  void of_newKitchenTicket_isKitchenTicketFired() {
    assertThat(ChangeKind.of("kitchen_tickets", null, Map.of("order_number", "0042"), false))
        .isEqualTo(new ChangeKind("kitchen_ticket", "kitchen_tickets", "fired"));
  }

  @Test
  void of_voidTicketForAnOrderInTheKitchen_isKitchenTicketVoided() {
    assertThat(
            ChangeKind.of(
                "kitchen_tickets", null, Map.of("order_number", "0042", "status", "void"), false))
        .isEqualTo(new ChangeKind("kitchen_ticket", "kitchen_tickets", "voided"));
  }

  @Test
  void of_newOrder_isOrderUpdateCreated() {
    assertThat(ChangeKind.of("orders", null, Map.of("status", "pending"), false))
        .isEqualTo(new ChangeKind("order_update", "orders", "created"));
  }

  @Test
  void of_orderStatusMoves_isStatusChangedOrCompleted() {
    assertThat(
            ChangeKind.of("orders", Map.of("status", "pending"), Map.of("status", "ready"), false)
                .action())
        .isEqualTo("status_changed");
    assertThat(
            ChangeKind.of("orders", Map.of("status", "ready"), Map.of("status", "completed"), false)
                .action())
        .isEqualTo("completed");
    assertThat(
            ChangeKind.of(
                    "orders",
                    Map.of("status", "ready", "tip", "1"),
                    Map.of("status", "ready", "tip", "2"),
                    false)
                .action())
        .isEqualTo("updated");
  }

  @Test
  void of_tableStatus_isTheStatusItself() {
    assertThat(ChangeKind.of("tables", null, Map.of("status", "occupied"), false))
        .isEqualTo(new ChangeKind("table_update", "tables", "occupied"));
  }

  @Test
  void of_menuAvailabilityFlips_isAvailabilityChanged() {
    assertThat(
            ChangeKind.of(
                    "menu_items", Map.of("available", true), Map.of("available", false), false)
                .action())
        .isEqualTo("availability_changed");
  }

  @Test
  void of_stockAtReorderLevel_isLowStockAlert() {
    assertThat(
            ChangeKind.of(
                    "inventory_items",
                    Map.of("quantity", 10, "reorder_level", 5),
                    Map.of("quantity", 5, "reorder_level", 5),
                    false)
                .action())
        .isEqualTo("low_stock_alert");
  }

  @Test
  void of_inventoryAlertOpened_isLowStockAlertAndClearedIsStockChanged() {
    assertThat(
            ChangeKind.of(
                "inventory_alerts", null, Map.of("item_id", "flour", "status", "open"), false))
        .isEqualTo(new ChangeKind("inventory_update", "inventory", "low_stock_alert"));
    assertThat(
            ChangeKind.of(
                    "inventory_alerts",
                    Map.of("status", "open"),
                    Map.of("status", "cleared"),
                    false)
                .action())
        .isEqualTo("stock_changed");
  }

  @Test
  void of_userRoleChanges_isRoleChanged() {
    assertThat(
            ChangeKind.of("users", Map.of("role", "server"), Map.of("role", "manager"), false)
                .type())
        .isEqualTo("user_update");
    assertThat(
            ChangeKind.of("users", Map.of("role", "server"), Map.of("role", "manager"), false)
                .action())
        .isEqualTo("role_changed");
  }

  @Test
  void of_printerDeleted_isRemoved() {
    assertThat(ChangeKind.of("printers", Map.of("name", "p"), Map.of(), true))
        .isEqualTo(new ChangeKind("printer_update", "printers", "removed"));
  }

  @Test
  void of_otherCollection_isRecordUpdate() {
    assertThat(ChangeKind.of("time_punches", null, Map.of("in", "09:00"), false))
        .isEqualTo(new ChangeKind("record_update", "time_punches", "created"));
  }
}
