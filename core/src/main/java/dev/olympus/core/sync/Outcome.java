package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the cloud did with a pushed op. */
public enum Outcome {
  /** Applied as written. */
  APPLIED,
  /** Met a concurrent edit; the collection's strategy resolved it, and the result may differ. */
  MERGED,
  /**
   * Invalid; not applied. The edge retries it and, after {@code retry_attempts}, sends it to
   * review.
   */
  REJECTED,
  /** Seen before under this op id; the first result is repeated. */
  DUPLICATE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name. */
  @JsonCreator
  public static Outcome parse(String name) {
    for (Outcome o : values()) {
      if (o.wireName().equals(name)) {
        return o;
      }
    }
    throw new IllegalArgumentException(
        "unknown outcome '" + name + "': expected applied, merged, rejected or duplicate");
  }
}
