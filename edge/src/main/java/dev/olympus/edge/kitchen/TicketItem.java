package dev.olympus.edge.kitchen;

import java.util.List;
import java.util.Objects;

/**
 * One item line of a kitchen ticket.
 *
 * @param modifiers modifier names as the cook should read them ({@code "No onion"}, {@code "Extra
 *     cheese"})
 * @param note a free-text request, or null
 */
public record TicketItem(int quantity, String name, List<String> modifiers, String note) {
  public TicketItem {
    Objects.requireNonNull(name, "name");
    if (quantity < 1) {
      throw new IllegalArgumentException(
          "ticket item " + name + ": quantity must be at least 1, was " + quantity);
    }
    modifiers = modifiers == null ? List.of() : List.copyOf(modifiers);
  }
}
