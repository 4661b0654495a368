package dev.olympus.edge.iot;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigEntity;
import dev.olympus.mqtt.DeviceAuthenticator;
import dev.olympus.mqtt.DevicePrincipal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restaurant's registered sensors, as the cloud's registry reached this edge through config
 * sync ({@code iot_devices}, with each device's bcrypt password hash), so sensors log in to the hub
 * while the internet is down too.
 */
final class HubDevices implements DeviceAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(HubDevices.class);
  static final String ENTITY = "iot_devices";

  private record Entry(IotDevice device, String passwordHash) {}

  private final ConfigCache cache;
  private final String locationId;
  private volatile Map<String, Entry> byId = Map.of();
  private volatile String tenantId;
  private volatile long version;
  private volatile long lastMissRefresh = System.nanoTime() - 2_000_000_000L;

  HubDevices(ConfigCache cache, String locationId) {
    this.cache = cache;
    this.locationId = locationId;
  }

  /** Re-reads the registry from the config cache; true when it changed. */
  synchronized boolean refresh() {
    String tenant = cache.enterprise().map(ConfigEntity::id).orElse(null);
    Map<String, Entry> next = new LinkedHashMap<>();
    if (tenant != null) {
      for (ConfigEntity e : cache.list(ENTITY)) {
        Map<String, Object> data = new HashMap<>(e.data());
        data.putIfAbsent("device_id", e.id());
        try {
          IotDevice d = IotDevice.fromConfig(tenant, locationId, data);
          next.put(d.deviceId(), new Entry(d, e.text("mqtt_password_hash").orElse(null)));
        } catch (RuntimeException bad) {
          log.warn(
              "IoT device '{}' in the synced config is unusable: {}", e.id(), bad.getMessage());
        }
      }
    }
    boolean changed = !next.equals(byId) || !java.util.Objects.equals(tenant, tenantId);
    if (changed) {
      version++;
      byId = Map.copyOf(next);
      tenantId = tenant;
      log.info("IoT hub knows {} device(s) of location {}", next.size(), locationId);
    }
    return changed;
  }

  /** Re-reads the registry unless that was done within the last second. */
  void refreshIfStale() {
    long now = System.nanoTime();
    if (now - lastMissRefresh > 1_000_000_000L) {
      lastMissRefresh = now;
      refresh();
    }
  }

  /** Goes up with every change of the registry. */
  long version() {
    return version;
  }

  List<IotDevice> devices() {
    return byId.values().stream().map(Entry::device).toList();
  }

  Optional<IotDevice> find(String deviceId) {
    return Optional.ofNullable(byId.get(deviceId)).map(Entry::device);
  }

  String tenantId() {
    return tenantId;
  }

  @Override
  public Optional<DevicePrincipal> authenticate(String username, byte[] password) {
    Entry e = byId.get(username);
    if (e == null) {
      // A sensor registered a moment ago: its config may have arrived since the last refresh.
      refreshIfStale();
      e = byId.get(username);
    }
    if (e == null || e.passwordHash() == null) {
      return Optional.empty();
    }
    if (!BCrypt.verifyer().verify(password, e.passwordHash().getBytes()).verified) {
      return Optional.empty();
    }
    IotDevice d = e.device();
    return Optional.of(DevicePrincipal.of(d));
  }
}
