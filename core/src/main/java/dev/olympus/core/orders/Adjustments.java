package dev.olympus.core.orders;

import java.math.BigDecimal;

/** Validation shared by discounts and service charges. */
final class Adjustments {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Adjustments() {}

  static BigDecimal checkValue(String what, AdjustmentType type, BigDecimal value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " has no value");
    }
    if (type == AdjustmentType.AMOUNT) {
      return Money.amount(what + " value", value);
    }
    if (value.signum() < 0 || value.compareTo(HUNDRED) > 0) {
      throw new IllegalArgumentException(
          what + " is a percentage between 0 and 100, was " + value.toPlainString());
    }
    return value;
  }
}
