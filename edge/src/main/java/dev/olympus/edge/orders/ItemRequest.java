package dev.olympus.edge.orders;

import java.util.List;
import java.util.Objects;

/**
 * An item a terminal orders: {@code quantity} of a menu item with modifiers and item-level
 * discounts, by config id.
 *
 * @param note a request for the kitchen ("no onion"), or null
 */
public record ItemRequest(
    String menuItemId,
    int quantity,
    List<String> modifierIds,
    List<String> discountIds,
    String note) {
  public ItemRequest {
    Objects.requireNonNull(menuItemId, "menuItemId");
    modifierIds = List.copyOf(modifierIds);
    discountIds = List.copyOf(discountIds);
  }
}
