package dev.olympus.mqtt;

import java.util.Optional;

/**
 * Checks a device's MQTT login (username = device id, password = the one shown at registration).
 */
@FunctionalInterface
public interface DeviceAuthenticator {
  /**
   * The device, or empty to refuse the connection. Called on the broker's threads: keep it quick.
   */
  Optional<DevicePrincipal> authenticate(String username, byte[] password);
}
