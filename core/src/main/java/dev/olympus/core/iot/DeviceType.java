package dev.olympus.core.iot;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Device types; wire name is the lower-case name ("temperature", …). */
public enum DeviceType {
  TEMPERATURE,
  HUMIDITY,
  ENERGY,
  DOOR,
  COOLER,
  OVEN,
  HVAC;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type of a wire name; throws naming the allowed values. */
  public static DeviceType fromWire(String s) {
    for (DeviceType t : values()) {
      if (t.wireName().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown device type '"
            + s
            + "': expected one of "
            + Arrays.stream(values()).map(DeviceType::wireName).collect(Collectors.joining(", ")));
  }

  /** TEMPERATURE, HUMIDITY, ENERGY, DOOR publish under sensors/, the rest under equipment/. */
  public boolean isSensor() {
    return this == TEMPERATURE || this == HUMIDITY || this == ENERGY || this == DOOR;
  }
}
