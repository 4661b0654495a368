package dev.olympus.core.iot;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Device types; the wire name is the lower-case name ("temperature", …). */
public enum DeviceType {
  TEMPERATURE,
  HUMIDITY,
  ENERGY,
  DOOR,
  COOLER,
  OVEN,
  HVAC;

  /** The name used in topics, payloads and the API. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static DeviceType fromWire(String s) {
    for (DeviceType t : values()) {
      if (t.wireName().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "device_type must be one of "
            + Arrays.stream(values()).map(DeviceType::wireName).collect(Collectors.joining(", "))
            + ", got "
            + s);
  }

  /** Sensors publish under {@code sensors/}, equipment under {@code equipment/…/status}. */
  public boolean isSensor() {
    return this == TEMPERATURE || this == HUMIDITY || this == ENERGY || this == DOOR;
  }
}
