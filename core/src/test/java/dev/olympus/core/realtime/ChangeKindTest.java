package dev.olympus.core.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeKindTest {
  @Test
  void of_newKitchenTicket_isKitchenTicketFired() {
    assertThat(ChangeKind.of("kitchen_tickets", null, Map.of("order_number", "0042"), false))
        .isEqualTo(new ChangeKind("kitchen_ticket", "kitchen_tickets", "fired"));
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
