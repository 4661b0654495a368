package dev.olympus.core.orders;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where an order is in its life; the wire names are the {@code status} field of an order. */
public enum OrderStatus {
  PENDING("pending"),
  CONFIRMED("confirmed"),
  PREPARING("preparing"),
  READY("ready"),
  COMPLETED("completed"),
  VOID("void");

  private final String wireName;

  OrderStatus(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** Completed and void orders are closed: their items and money no longer change. */
  public boolean isClosed() {
    return this == COMPLETED || this == VOID;
  }

  /**
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  @JsonCreator
  public static OrderStatus parse(String value) {
    for (OrderStatus s : values()) {
      if (s.wireName.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown order status '"
            + value
            + "': use pending, confirmed, preparing, ready, completed or void");
  }
}
