package dev.olympus.core.iot;

/** {@code olympus/{t}/{l}/equipment/{cooler|oven|hvac}/{device_id}/status}. */
public record EquipmentStatusTopic(
    String tenantId, String locationId, DeviceType type, String deviceId) implements Topic {
  @Override
  public String name() {
    return "olympus/"
        + tenantId
        + "/"
        + locationId
        + "/equipment/"
        + type.wireName()
        + "/"
        + deviceId
        + "/status";
  }
}
