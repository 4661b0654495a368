package dev.olympus.edge.kitchen;

import java.util.List;
import java.util.Objects;

/** An order line sent to the kitchen. */
public record FiredItem(
    String lineId,
    String menuItemId,
    String name,
    int quantity,
    List<String> modifiers,
    String note) {
  public FiredItem {
    Objects.requireNonNull(lineId, "lineId");
    Objects.requireNonNull(menuItemId, "menuItemId");
    name = name == null ? menuItemId : name;
    modifiers = modifiers == null ? List.of() : List.copyOf(modifiers);
  }

  public TicketItem toTicketItem() {
    return new TicketItem(quantity, name, modifiers, note);
  }
}
