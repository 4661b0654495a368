package dev.olympus.core.iot;

/** {@code olympus/{t}/{l}/commands/{device_id}/ack}: a device acknowledges a command. */
public record CommandAckTopic(String tenantId, String locationId, String deviceId)
    implements Topic {
  @Override
  public String name() {
    return "olympus/" + tenantId + "/" + locationId + "/commands/" + deviceId + "/ack";
  }
}
