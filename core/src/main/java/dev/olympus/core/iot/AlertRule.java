package dev.olympus.core.iot;

import java.util.Locale;

/** The five alert rules of seed 000. */
public enum AlertRule {
  TEMPERATURE_HIGH,
  TEMPERATURE_LOW,
  DOOR_OPEN,
  EQUIPMENT_OFFLINE,
  ENERGY_SPIKE;

  /** The wire name: {@code temperature_high}, … */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Temperature and offline alerts are critical; door and energy alerts are warnings. */
  public Severity severity() {
    return switch (this) {
      case TEMPERATURE_HIGH, TEMPERATURE_LOW, EQUIPMENT_OFFLINE -> Severity.CRITICAL;
      case DOOR_OPEN, ENERGY_SPIKE -> Severity.WARNING;
    };
  }
}
