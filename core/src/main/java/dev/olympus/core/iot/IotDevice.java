package dev.olympus.core.iot;

import java.util.Map;

/**
 * A registered device, as the cloud's registry holds it and the edge receives it by config sync.
 */
public record IotDevice(
    String tenantId,
    String locationId,
    String deviceId,
    DeviceType type,
    String name,
    Double targetMin,
    Double targetMax,
    String unit) {

  /**
   * Reads an {@code iot_devices} config record: device_id (or id), device_type, name, target_min,
   * target_max, unit.
   *
   * @throws IllegalArgumentException for a missing id or an unknown device type
   */
  public static IotDevice fromConfig(
      String tenantId, String locationId, Map<String, Object> record) {
    Object id = record.get("device_id");
    if (id == null) {
      id = record.get("id");
    }
    if (id == null) {
      throw new IllegalArgumentException("device_id is required");
    }
    Object type = record.get("device_type");
    if (type == null) {
      throw new IllegalArgumentException("device_type is required");
    }
    Object name = record.get("name");
    Object unit = record.get("unit");
    return new IotDevice(
        tenantId,
        locationId,
        id.toString(),
        DeviceType.fromWire(type.toString()),
        name == null ? id.toString() : name.toString(),
        number(record.get("target_min")),
        number(record.get("target_max")),
        unit == null ? null : unit.toString());
  }

  private static Double number(Object o) {
    if (o instanceof Number) {
      return ((Number) o).doubleValue();
    }
    if (o instanceof String) {
      try {
        return Double.valueOf((String) o);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
