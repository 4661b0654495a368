package dev.olympus.core.iot;

/** {@code olympus/{t}/{l}/sensors/{temperature|humidity|energy|door}/{device_id}}. */
public record SensorTopic(String tenantId, String locationId, DeviceType type, String deviceId)
    implements Topic {
  @Override
  public String name() {
    return "olympus/"
        + tenantId
        + "/"
        + locationId
        + "/sensors/"
        + type.wireName()
        + "/"
        + deviceId;
  }
}
