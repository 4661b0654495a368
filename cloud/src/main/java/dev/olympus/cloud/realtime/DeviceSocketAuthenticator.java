package dev.olympus.cloud.realtime;

import dev.olympus.cloud.auth.DeviceRegistry;
import dev.olympus.cloud.auth.DeviceTokens;
import dev.olympus.web.realtime.Admission;
import dev.olympus.web.realtime.CloseCodes;
import dev.olympus.web.realtime.Handshake;
import dev.olympus.web.realtime.SocketAuthenticator;
import dev.olympus.web.realtime.SocketPrincipal;
import java.util.Optional;

/**
 * Admits a device token to {@code /ws/sync} for its own location and device id only: edges and
 * terminals alike. The admin token has no location, so it is refused.
 */
final class DeviceSocketAuthenticator implements SocketAuthenticator {
  private final DeviceRegistry devices;
  private final String adminToken;

  DeviceSocketAuthenticator(DeviceRegistry devices, String adminToken) {
    this.devices = devices;
    this.adminToken = adminToken;
  }

  @Override
  public Admission admit(Handshake h) {
    if (DeviceTokens.constantTimeEquals(h.token(), adminToken)) {
      return new Admission.Refused(
          CloseCodes.FORBIDDEN, "the admin token has no restaurant: connect with a device token");
    }
    if (!h.token().startsWith(DeviceTokens.PREFIX)) {
      return new Admission.Refused(
          CloseCodes.UNAUTHORIZED, "unknown token: use the device's token (oly_…)");
    }
    Optional<DeviceRegistry.DeviceRow> row =
        devices.findActiveByTokenHash(DeviceTokens.sha256(h.token()));
    if (row.isEmpty()) {
      return new Admission.Refused(
          CloseCodes.UNAUTHORIZED,
          "unknown or revoked device token: register the device again to get a new one");
    }
    DeviceRegistry.DeviceRow d = row.get();
    if (d.locationId() == null || !d.locationId().equals(h.restaurantId())) {
      return new Admission.Refused(
          CloseCodes.FORBIDDEN,
          "the token belongs to restaurant " + d.locationId() + ", not " + abbreviate(h));
    }
    if (!d.deviceId().equals(h.deviceId())) {
      return new Admission.Refused(
          CloseCodes.FORBIDDEN, "the token belongs to device " + d.deviceId() + ": use that id");
    }
    return new Admission.Admitted(
        new SocketPrincipal(d.tenantId(), d.locationId(), d.deviceId(), d.deviceType()));
  }

  private static String abbreviate(Handshake h) {
    String r = h.restaurantId();
    return r.length() <= 40 ? r : r.substring(0, 40) + "…";
  }
}
