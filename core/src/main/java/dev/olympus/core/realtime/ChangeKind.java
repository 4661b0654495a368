package dev.olympus.core.realtime;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The type and action of a change as devices see it in real time (seed 002): {@code order_update} /
 * {@code status_changed}, {@code table_update} / {@code occupied}, and so on. Derived from the
 * record before and after the change, so both the cloud and the edge name a change alike.
 *
 * @param type the message type, e.g. {@code order_update}
 * @param dataType the data type, e.g. {@code orders}
 * @param action what happened, e.g. {@code created}
 */
public record ChangeKind(String type, String dataType, String action) {
  private static final Set<String> TABLE_STATUSES =
      Set.of("occupied", "available", "reserved", "cleaning");

  public ChangeKind {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(action, "action");
  }

  /**
   * Names a change.
   *
   * @param collection the record's collection
   * @param before the record's data before the change, or null when it did not exist (or was
   *     deleted, or is unknown)
   * @param after the record's data after the change
   * @param deleted whether the change deleted the record
   */
  public static ChangeKind of(
      String collection, Map<String, ?> before, Map<String, ?> after, boolean deleted) {
    boolean created = before == null && !deleted;
    switch (collection) {
      case "orders" -> {
        String action;
        if (deleted) {
          action = "deleted";
        } else if (created) {
          action = "created";
        } else if (changed(before, after, "status")) {
          action = "completed".equals(after.get("status")) ? "completed" : "status_changed";
        } else {
          action = "updated";
        }
        return new ChangeKind("order_update", "orders", action);
      }
      case "menu_items" -> {
        String action =
            deleted
                ? "deleted"
                : created
                    ? "created"
                    : changed(before, after, "available") ? "availability_changed" : "updated";
        return new ChangeKind("menu_update", "menu_items", action);
      }
      case "inventory_items", "inventory_movements", "inventory" -> {
        String action;
        if (deleted) {
          action = "item_removed";
        } else if (isLowStock(after)) {
          action = "low_stock_alert";
        } else if (created && !collection.equals("inventory_movements")) {
          action = "item_added";
        } else {
          action = "stock_changed";
        }
        return new ChangeKind("inventory_update", "inventory", action);
      }
      case "inventory_alerts" -> {
        // A stock item fell to its reorder level (the edge opens the alert once per crossing).
        String action =
            deleted
                ? "deleted"
                : "open".equals(after.get("status")) ? "low_stock_alert" : "stock_changed";
        return new ChangeKind("inventory_update", "inventory", action);
      }
      case "tables" -> {
        Object status = deleted ? null : after.get("status");
        String action =
            deleted
                ? "deleted"
                : status instanceof String s && TABLE_STATUSES.contains(s) ? s : "updated";
        return new ChangeKind("table_update", "tables", action);
      }
      case "users", "employees" -> {
        String action =
            deleted
                ? "deleted"
                : created
                    ? "created"
                    : changed(before, after, "role") || changed(before, after, "role_id")
                        ? "role_changed"
                        : "updated";
        return new ChangeKind("user_update", "users", action);
      }
      case "printers" -> {
        String action =
            deleted
                ? "removed"
                : created
                    ? "added"
                    : changed(before, after, "assignments")
                            || changed(before, after, "station")
                            || changed(before, after, "print_class_id")
                        ? "assignment_changed"
                        : "configured";
        return new ChangeKind("printer_update", "printers", action);
      }
      case "kitchen_tickets" -> {
        // What a KDS shows for a fired order: the frame's type tells it apart from record noise.
        String action =
            deleted
                ? "deleted"
                : "void".equals(after.get("status")) ? "voided" : created ? "fired" : "updated";
        return new ChangeKind("kitchen_ticket", "kitchen_tickets", action);
      }
      default -> {
        String action = deleted ? "deleted" : created ? "created" : "updated";
        return new ChangeKind("record_update", collection, action);
      }
    }
  }

  private static boolean changed(Map<String, ?> before, Map<String, ?> after, String field) {
    return before != null && !Objects.equals(before.get(field), after.get(field));
  }

  private static boolean isLowStock(Map<String, ?> after) {
    Object qty = after.get("quantity");
    Object reorder = after.get("reorder_level");
    return qty instanceof Number q
        && reorder instanceof Number r
        && q.doubleValue() <= r.doubleValue();
  }
}
