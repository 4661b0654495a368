package dev.olympus.core.iot;

import java.util.Map;

/** A registered device, as the cloud's registry holds it and the edge receives it. */
public record IotDevice(
    String tenantId,
    String locationId,
    String deviceId,
    DeviceType type,
    String name,
    Double targetMin,
    Double targetMax,
    String unit) {
  /** From an {@code iot_devices} config record. */
  public static IotDevice fromConfig(
      String tenantId, String locationId, Map<String, Object> record) {
    Object id = record.get("device_id") != null ? record.get("device_id") : record.get("id");
    return new IotDevice(
        tenantId,
        locationId,
        String.valueOf(id),
        DeviceType.fromWire(String.valueOf(record.get("device_type"))),
        (String) record.get("name"),
        number(record.get("target_min")),
        number(record.get("target_max")),
        (String) record.get("unit"));
  }

  private static Double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }
}
