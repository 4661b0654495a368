package dev.olympus.core.orders;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a discount or a service charge is expressed (config field {@code type}). */
public enum AdjustmentType {
  /** {@code value} is in per cent of the base: {@code "10"} is 10 %. */
  PERCENT("percent"),
  /** {@code value} is an amount of money. */
  AMOUNT("amount");

  private final String wireName;

  AdjustmentType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  @JsonCreator
  public static AdjustmentType parse(String value) {
    for (AdjustmentType t : values()) {
      if (t.wireName.equals(value)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "type must be \"percent\" or \"amount\", was " + (value == null ? "missing" : value));
  }
}
