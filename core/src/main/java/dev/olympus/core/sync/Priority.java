package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How soon a collection's changes leave the edge: critical first, low last. */
public enum Priority {
  CRITICAL,
  HIGH,
  NORMAL,
  LOW;

  /** The wire name: {@code critical}, {@code high}, {@code normal}, {@code low}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Smaller is sooner; used to order the outbox. */
  public int rank() {
    return ordinal();
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  @JsonCreator
  public static Priority parse(String name) {
    for (Priority p : values()) {
      if (p.wireName().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown priority '" + name + "': expected one of critical, high, normal, low");
  }
}
