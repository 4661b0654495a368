package dev.olympus.client;

import java.util.Locale;

/**
 * The data types a {@link Change} belongs to, after the wire {@code type} of realtime.md (seed
 * 002's table). Each has its own listener on {@link OlympusClient}.
 */
public enum DataType {
  /** {@code order_update}: collection {@code orders}. */
  ORDERS("order_update"),
  /** {@code menu_update}: collection {@code menu_items}. */
  MENU("menu_update"),
  /** {@code inventory_update}: {@code inventory_items}, {@code inventory_movements}. */
  INVENTORY("inventory_update"),
  /** {@code table_update}: collection {@code tables}. */
  TABLES("table_update"),
  /** {@code user_update}: {@code users}, {@code employees}. */
  USERS("user_update"),
  /** {@code printer_update}: collection {@code printers}. */
  PRINTERS("printer_update"),
  /** {@code kitchen_ticket}: collection {@code kitchen_tickets}, what a kitchen display shows. */
  KITCHEN("kitchen_ticket"),
  /** {@code record_update}: any other collection. */
  OTHER("record_update");

  private final String wireType;

  DataType(String wireType) {
    this.wireType = wireType;
  }

  /** The {@code type} field of a change frame of this data type, e.g. {@code order_update}. */
  public String wireType() {
    return wireType;
  }

  /**
   * The data type of a change frame: from its wire {@code type} when known, else from its
   * collection, else {@link #OTHER}.
   *
   * @param wireType the frame's {@code type}, may be null
   * @param collection the frame's {@code collection}, may be null
   */
  public static DataType of(String wireType, String collection) {
    if (wireType != null) {
      for (DataType t : values()) {
        if (t.wireType.equals(wireType) && t != OTHER) {
          return t;
        }
      }
    }
    if (collection == null) {
      return OTHER;
    }
    return switch (collection.toLowerCase(Locale.ROOT)) {
      case "orders" -> ORDERS;
      case "menu_items" -> MENU;
      case "inventory_items", "inventory_movements" -> INVENTORY;
      case "tables" -> TABLES;
      case "users", "employees" -> USERS;
      case "printers" -> PRINTERS;
      case "kitchen_tickets" -> KITCHEN;
      default -> OTHER;
    };
  }
}
