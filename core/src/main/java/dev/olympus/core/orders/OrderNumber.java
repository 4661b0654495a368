package dev.olympus.core.orders;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A human-facing order number: the {@code sequence}-th order of a location's business date, shown
 * with at least four digits ({@code "0001"}, … {@code "9999"}, then {@code "10000"}). It is unique
 * only within its location and business date: the order's id (a UUIDv7) stays its identity. The
 * counter lives in the edge's database, so numbers are assigned offline.
 *
 * @param sequence 1 for the first order of the day
 */
public record OrderNumber(String locationId, LocalDate businessDate, long sequence) {
  /** Digits shown at least; the number grows past them rather than wrapping. */
  public static final int MIN_DIGITS = 4;

  public OrderNumber {
    Objects.requireNonNull(locationId, "locationId");
    Objects.requireNonNull(businessDate, "businessDate");
    if (sequence < 1) {
      throw new IllegalArgumentException("an order number starts at 1, was " + sequence);
    }
  }

  /** The number as printed and shown: {@code "0042"}. */
  public String display() {
    return format(sequence);
  }

  /** {@code sequence} zero-padded to {@link #MIN_DIGITS} digits. */
  public static String format(long sequence) {
    String digits = Long.toString(sequence);
    return digits.length() >= MIN_DIGITS
        ? digits
        : "0".repeat(MIN_DIGITS - digits.length()) + digits;
  }
}
