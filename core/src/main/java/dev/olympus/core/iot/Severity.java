package dev.olympus.core.iot;

import java.util.Locale;

/** Alert severity; the wire name is the lower-case name. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  /** The name used in topics and JSON. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Severity fromWire(String s) {
    for (Severity v : values()) {
      if (v.wireName().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("severity must be one of info, warning, critical, got " + s);
  }
}
