package dev.olympus.core.iot;

import java.util.Locale;

/** Where an alert is in its life: active, acknowledged by someone, or resolved. */
public enum AlertStatus {
  ACTIVE,
  ACKNOWLEDGED,
  RESOLVED;

  /** The wire name: {@code active}, {@code acknowledged}, {@code resolved}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
