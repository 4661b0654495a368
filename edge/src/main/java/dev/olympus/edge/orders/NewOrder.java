package dev.olympus.edge.orders;

import java.util.List;
import java.util.Objects;

/**
 * An order a terminal opens.
 *
 * @param id the client's id for it (a UUIDv7), or null for one chosen by the edge
 * @param employeeId who takes it, or null
 * @param tableId the table, or null
 * @param rvcId the revenue centre (kitchen routing), or null
 * @param discountIds order-level discounts
 * @param businessDate the business date the terminal believes is open, or null: checked against the
 *     edge's, so an order rung on a terminal still showing a closed day is refused, not misfiled
 */
public record NewOrder(
    String id,
    String orderType,
    List<ItemRequest> items,
    String employeeId,
    String tableId,
    String rvcId,
    List<String> discountIds,
    java.time.LocalDate businessDate) {
  public NewOrder {
    Objects.requireNonNull(orderType, "orderType");
    items = List.copyOf(items);
    discountIds = List.copyOf(discountIds);
  }
}
