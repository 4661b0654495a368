package dev.olympus.core.iot;

import java.util.Locale;

/** Alert severities; wire name is the lower-case name. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity fromWire(String s) {
    for (Severity v : values()) {
      if (v.wireName().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown severity '" + s + "': expected info, warning or critical");
  }
}
