package dev.olympus.edge.kitchen;

import java.util.List;
import java.util.Objects;

/**
 * What a kitchen printer prints for a fired order (or the part of it routed to that printer).
 *
 * @param orderNumber as shown to guests, e.g. {@code "0042"}
 * @param orderType e.g. {@code "dine_in"}, {@code "takeout"}; printed in capitals
 * @param station the printer's or station's name, or null
 * @param table the table, or null
 * @param server the employee who fired it, or null
 * @param firedAt the time to print, already formatted in the property's time zone (e.g. {@code
 *     "12:34"})
 * @param voided whether this recalls items fired before: the order was voided, stop making them
 */
public record KitchenTicket(
    String orderNumber,
    String orderType,
    String station,
    String table,
    String server,
    String firedAt,
    List<TicketItem> items,
    boolean voided) {
  /** A ticket of items to make. */
  public KitchenTicket(
      String orderNumber,
      String orderType,
      String station,
      String table,
      String server,
      String firedAt,
      List<TicketItem> items) {
    this(orderNumber, orderType, station, table, server, firedAt, items, false);
  }

  public KitchenTicket {
    Objects.requireNonNull(orderNumber, "orderNumber");
    Objects.requireNonNull(orderType, "orderType");
    items = List.copyOf(items);
  }
}
