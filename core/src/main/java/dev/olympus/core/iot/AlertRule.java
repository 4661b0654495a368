package dev.olympus.core.iot;

import java.util.Locale;

/** The five rules of seed 000. */
public enum AlertRule {
  TEMPERATURE_HIGH,
  TEMPERATURE_LOW,
  DOOR_OPEN,
  EQUIPMENT_OFFLINE,
  ENERGY_SPIKE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Severity severity() {
    return this == DOOR_OPEN || this == ENERGY_SPIKE ? Severity.WARNING : Severity.CRITICAL;
  }
}
