package dev.olympus.edge.realtime;

import dev.olympus.edge.store.DeviceDirectory;
import dev.olympus.web.realtime.Admission;
import dev.olympus.web.realtime.Handshake;
import dev.olympus.web.realtime.LocationKey;
import dev.olympus.web.realtime.SocketAuthenticator;
import dev.olympus.web.realtime.SocketPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the terminals that open the edge's {@code /ws/sync} against the location's devices held
 * locally (learned from the cloud's {@code _devices} feed), so terminals connect while the internet
 * is down. The edge's own token is accepted for the edge's own device id (tools, the demo).
 */
public final class LanSocketAuthenticator implements SocketAuthenticator {
  /** The device type the edge's own token connects as. */
  public static final String EDGE_DEVICE_TYPE = "olympus_edge";

  private final DeviceDirectory devices;
  private final byte[] apiKey;
  private final String edgeDeviceId;
  private final LocationKey location;

  /**
   * @param apiKey the edge's own token
   * @param edgeDeviceId the edge's device id (its node id)
   * @param location the location this edge serves
   */
  public LanSocketAuthenticator(
      DeviceDirectory devices, String apiKey, String edgeDeviceId, LocationKey location) {
    this.devices = Objects.requireNonNull(devices, "devices");
    this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
    this.edgeDeviceId = Objects.requireNonNull(edgeDeviceId, "edgeDeviceId");
    this.location = Objects.requireNonNull(location, "location");
  }

  @Override
  public Admission admit(Handshake h) {
    Optional<SocketPrincipal> device = deviceOf(h.token());
    if (device.isEmpty()) {
      return Admission.unauthorized(
          "unknown or revoked token: register the device with the cloud and let the edge sync once");
    }
    SocketPrincipal p = device.get();
    if (!location.locationId().equals(h.restaurantId())) {
      return Admission.forbidden(
          "this edge serves restaurant "
              + abbreviate(location.locationId())
              + ", not "
              + abbreviate(h.restaurantId()));
    }
    if (!p.deviceId().equals(h.deviceId())) {
      return Admission.forbidden(
          "the token belongs to device "
              + abbreviate(p.deviceId())
              + ", not "
              + abbreviate(h.deviceId()));
    }
    return Admission.admitted(p);
  }

  private Optional<SocketPrincipal> deviceOf(String token) {
    if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), apiKey)) {
      return Optional.of(principal(edgeDeviceId, EDGE_DEVICE_TYPE));
    }
    return devices.findByToken(token).map(d -> principal(d.deviceId(), d.deviceType()));
  }

  private SocketPrincipal principal(String deviceId, String type) {
    return new SocketPrincipal(location.tenantId(), location.locationId(), deviceId, type);
  }

  // Close reasons are limited to 123 bytes: ids from the query are cut short.
  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "…";
  }
}
