package dev.olympus.core.orders;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One line of an order as the pricer sees it: prices are copied from the menu when the item is
 * added, so a later menu change does not reprice an open order.
 *
 * @param lineId the line's id within the order
 * @param unitPrice the item's price without modifiers
 * @param discounts item-level discounts, each taken of this line's extended amount
 */
public record OrderLine(
    @JsonProperty("line_id") String lineId,
    @JsonProperty("menu_item_id") String menuItemId,
    @JsonProperty("name") String name,
    @JsonProperty("unit_price") BigDecimal unitPrice,
    @JsonProperty("quantity") int quantity,
    @JsonProperty("tax_group_id") String taxGroupId,
    @JsonProperty("modifiers") List<LineModifier> modifiers,
    @JsonProperty("discounts") List<Discount> discounts) {
  public OrderLine {
    Objects.requireNonNull(lineId, "lineId");
    Objects.requireNonNull(menuItemId, "menuItemId");
    Objects.requireNonNull(taxGroupId, "taxGroupId of line " + lineId);
    name = name == null ? menuItemId : name;
    unitPrice = Money.amount("unit_price of line " + lineId, unitPrice);
    if (quantity < 1) {
      throw new IllegalArgumentException(
          "quantity of line " + lineId + " must be at least 1, was " + quantity);
    }
    modifiers = modifiers == null ? List.of() : List.copyOf(modifiers);
    discounts = discounts == null ? List.of() : List.copyOf(discounts);
  }

  /** A line without modifiers or discounts. */
  public static OrderLine of(
      String lineId, String menuItemId, BigDecimal unitPrice, int quantity, String taxGroupId) {
    return new OrderLine(
        lineId, menuItemId, null, unitPrice, quantity, taxGroupId, List.of(), List.of());
  }
}
