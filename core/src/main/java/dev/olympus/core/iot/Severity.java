package dev.olympus.core.iot;

import java.util.Locale;

/** How urgent an alert is; the wire name is the lower-case name. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  /** The wire name: {@code info}, {@code warning}, {@code critical}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The severity of a wire name.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Severity fromWire(String s) {
    for (Severity v : values()) {
      if (v.wireName().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown severity '" + s + "': expected one of info, warning, critical");
  }
}
