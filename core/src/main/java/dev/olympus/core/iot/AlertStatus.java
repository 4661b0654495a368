package dev.olympus.core.iot;

import java.util.Locale;

/** Where an alert is in its life. */
public enum AlertStatus {
  ACTIVE,
  ACKNOWLEDGED,
  RESOLVED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
