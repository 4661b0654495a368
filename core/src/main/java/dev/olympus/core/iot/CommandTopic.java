package dev.olympus.core.iot;

/** {@code olympus/{t}/{l}/commands/{device_id}/action}: the hub sends commands to a device. */
public record CommandTopic(String tenantId, String locationId, String deviceId) implements Topic {
  @Override
  public String name() {
    return "olympus/" + tenantId + "/" + locationId + "/commands/" + deviceId + "/action";
  }
}
