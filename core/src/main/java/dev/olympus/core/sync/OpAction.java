package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an op does to its record: replace it, change some fields, or delete it. */
public enum OpAction {
  PUT,
  PATCH,
  DELETE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code put}, {@code patch} or {@code delete}.
   *
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  @JsonCreator
  public static OpAction parse(String name) {
    for (OpAction a : values()) {
      if (a.wireName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown action '" + name + "': expected one of put, patch, delete");
  }
}
