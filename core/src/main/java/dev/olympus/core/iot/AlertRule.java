package dev.olympus.core.iot;

import java.util.Locale;

/** The five rules of the food-safety alerting. */
public enum AlertRule {
  TEMPERATURE_HIGH,
  TEMPERATURE_LOW,
  DOOR_OPEN,
  EQUIPMENT_OFFLINE,
  ENERGY_SPIKE;

  /** "temperature_high", … */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Temperature and offline are critical (food safety); door and energy are warnings. */
  public Severity severity() {
    return this == DOOR_OPEN || this == ENERGY_SPIKE ? Severity.WARNING : Severity.CRITICAL;
  }

  /** Parses a wire name, or throws IllegalArgumentException. */
  static AlertRule fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
