package dev.olympus.core.iot;

/** The topic {@code olympus/{t}/{l}/commands/{device_id}/ack}. */
public record CommandAckTopic(String tenantId, String locationId, String deviceId)
    implements Topic {
  @Override
  public String name() {
    return "olympus/" + tenantId + "/" + locationId + "/commands/" + deviceId + "/ack";
  }
}
