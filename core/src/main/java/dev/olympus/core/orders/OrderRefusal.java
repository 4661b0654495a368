package dev.olympus.core.orders;

import java.util.Objects;

/**
 * Why the order lifecycle refused a change: a stable code for the API ({@code illegal_transition},
 * {@code already_in_status}, {@code privilege_required}, {@code order_closed}) and a sentence for
 * the person at the terminal.
 */
public record OrderRefusal(String code, String message) {
  public OrderRefusal {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
