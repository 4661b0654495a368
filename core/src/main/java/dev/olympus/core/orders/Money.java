package dev.olympus.core.orders;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money as exact decimals: amounts carry two places, travel as strings such as {@code "12.50"}, and
 * every rounding is {@link RoundingMode#HALF_UP} to the cent, so an edge and the cloud price the
 * same order to the same cent.
 */
public final class Money {
  /** Places of every amount: cents. */
  public static final int SCALE = 2;

  /** The one rounding mode of Olympus money. */
  public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;

  /** Zero with two places. */
  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Money() {}

  /**
   * An amount from a wire string.
   *
   * @param field names the value in the error message
   * @throws IllegalArgumentException when the value is not a decimal, is negative, or has more than
   *     two places (a price of {@code "9.505"} is a typo, not something to round silently)
   */
  public static BigDecimal parse(String field, String value) {
    BigDecimal d = decimal(field, value);
    return amount(field, d);
  }

  /** An amount from an exact decimal: non-negative, at most two places, returned with two. */
  public static BigDecimal amount(String field, BigDecimal value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing: an amount such as \"12.50\"");
    }
    if (value.signum() < 0) {
      throw new IllegalArgumentException(field + " must not be negative, was " + value);
    }
    if (value.stripTrailingZeros().scale() > SCALE) {
      throw new IllegalArgumentException(
          field + " has more than two decimal places: " + value.toPlainString());
    }
    return value.setScale(SCALE, ROUNDING);
  }

  /**
   * A decimal (a rate, a percentage) from a wire string, parsed exactly.
   *
   * @throws IllegalArgumentException naming {@code field} when the value is not a decimal
   */
  public static BigDecimal decimal(String field, String value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing: a decimal string such as \"12.50\"");
    }
    try {
      return new BigDecimal(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          field + " is not a decimal: '" + value + "' (use a string such as \"12.50\")", e);
    }
  }

  /** Rounds to the cent, half up. */
  public static BigDecimal round(BigDecimal value) {
    return value.setScale(SCALE, ROUNDING);
  }

  /** {@code percent} per cent of {@code base}, rounded to the cent half up. */
  public static BigDecimal percentOf(BigDecimal base, BigDecimal percent) {
    return round(base.multiply(percent).divide(HUNDRED));
  }

  /** The wire form: two places, never an exponent. */
  public static String format(BigDecimal value) {
    return round(value).toPlainString();
  }

  /** The amount in minor units (cents), as card processors want it. */
  public static long toMinorUnits(BigDecimal value) {
    return round(value).movePointRight(SCALE).longValueExact();
  }
}
