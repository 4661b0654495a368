package dev.olympus.core.iot;

import java.util.Locale;

/** Where an alert stands. */
public enum AlertStatus {
  ACTIVE,
  ACKNOWLEDGED,
  RESOLVED;

  /** "active", "acknowledged", "resolved". */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
