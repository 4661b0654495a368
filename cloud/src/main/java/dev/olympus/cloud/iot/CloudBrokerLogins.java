package dev.olympus.cloud.iot;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.config.ConfigService;
import dev.olympus.cloud.config.ConfigStore;
import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.EntityType;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.mqtt.DeviceAuthenticator;
import dev.olympus.mqtt.DevicePrincipal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sensor logins on the cloud's embedded broker: username = the device id shown at registration,
 * password checked against the registry's bcrypt hash. Device ids are unique within a tenant, not
 * across tenants, so every tenant holding that id is tried; only the one whose hash matches lets
 * the device in, to its own topics.
 */
final class CloudBrokerLogins implements DeviceAuthenticator {
  private final ConfigService config;
  private final Directory directory;
  private final EntityType type = ConfigRegistry.require("iot_devices");

  CloudBrokerLogins(ConfigService config, Directory directory) {
    this.config = config;
    this.directory = directory;
  }

  @Override
  public Optional<DevicePrincipal> authenticate(String username, byte[] password) {
    for (Directory.Tenant tenant : directory.listTenants()) {
      Optional<ConfigStore.StoredEntity> found =
          config.store().find(type, username, tenant.id()).filter(e -> e.propertyId() != null);
      if (found.isEmpty()) {
        continue;
      }
      ConfigStore.StoredEntity e = found.get();
      Object hash = e.data().get("mqtt_password_hash");
      if (!(hash instanceof String h)
          || !BCrypt.verifyer().verify(password, h.getBytes(StandardCharsets.UTF_8)).verified) {
        continue;
      }
      Map<String, Object> data = new LinkedHashMap<>(e.data());
      data.putIfAbsent("device_id", e.id());
      IotDevice d = IotDevice.fromConfig(tenant.id(), e.propertyId(), data);
      return Optional.of(DevicePrincipal.of(d));
    }
    return Optional.empty();
  }
}
