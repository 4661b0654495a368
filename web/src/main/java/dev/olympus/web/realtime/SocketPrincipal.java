package dev.olympus.web.realtime;

import java.util.Objects;

/**
 * The device a WebSocket belongs to, as its token says.
 *
 * @param tenantId its tenant
 * @param locationId its location: it sees that location's changes (and enterprise-wide ones)
 * @param deviceId its device id
 * @param deviceType its type, e.g. {@code olympus_edge}, {@code pos_terminal}; used to address
 *     {@code sync_trigger} frames
 */
public record SocketPrincipal(
    String tenantId, String locationId, String deviceId, String deviceType) {
  public SocketPrincipal {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(locationId, "locationId");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(deviceType, "deviceType");
  }

  public LocationKey location() {
    return new LocationKey(tenantId, locationId);
  }
}
