package dev.olympus.core.iot;

/** The topic {@code olympus/{t}/{l}/equipment/{type}/{device_id}/status}. */
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
