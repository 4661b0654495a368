package dev.olympus.cloud.iot;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.config.ConfigService;
import dev.olympus.cloud.config.ConfigStore;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.EntityType;
import dev.olympus.core.iot.DeviceType;
import dev.olympus.core.iot.IotDevice;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor registry: {@code iot_devices} config entities, written through {@link ConfigService}
 * so config sync carries them (with the MQTT password's bcrypt hash, never the password) to the
 * location's edge.
 */
public final class IotDevices {
  private static final Logger log = LoggerFactory.getLogger(IotDevices.class);
  static final String TABLE = "iot_devices";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final int BCRYPT_COST = 10;
  private static final int PAGE = 1000;

  /** A registered device with its MQTT password, which is shown this once. */
  public record Registered(IotDevice device, String mqttPassword) {}

  private final ConfigService config;
  private final Directory directory;
  private final SecureRandom random;
  private final EntityType type = ConfigRegistry.require(TABLE);

  public IotDevices(ConfigService config, Directory directory, SecureRandom random) {
    this.config = config;
    this.directory = directory;
    this.random = random;
  }

  /** Validates a registration body and registers the device; 400, 404 or 409 otherwise. */
  public Registered register(String tenantId, ObjectNode body) {
    String deviceId =
        Bodies.requireMatching(
            body, "device_id", ID, "1 to 64 of A-Z a-z 0-9 _ . : - (it is the MQTT username)");
    String typeName = Bodies.requireText(body, "device_type");
    DeviceType deviceType;
    try {
      deviceType = DeviceType.fromWire(typeName);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("device_type", "device_type: " + e.getMessage());
    }
    String locationId = Bodies.requireText(body, "location_id");
    if (directory.findLocation(locationId).filter(l -> l.tenantId().equals(tenantId)).isEmpty()) {
      throw new ApiException(
          404,
          "not_found",
          "no location '"
              + Bodies.abbreviate(locationId)
              + "' in this tenant: create it first or check location_id",
          "location_id");
    }
    String name = Bodies.requireText(body, "name");
    if (name.isBlank() || name.length() > 200) {
      throw ApiException.invalidField("name", "name must be 1 to 200 characters");
    }
    Double min = optionalNumber(body, "target_min");
    Double max = optionalNumber(body, "target_max");
    if (min != null && max != null && min > max) {
      throw ApiException.invalidField(
          "target_min", "target_min (" + min + ") must not be above target_max (" + max + ")");
    }
    String unit = Bodies.optionalText(body, "unit").orElse(null);
    if (unit != null && (unit.isBlank() || unit.length() > 16)) {
      throw ApiException.invalidField("unit", "unit must be 1 to 16 characters, e.g. F, C, %, kWh");
    }
    byte[] secret = new byte[18];
    random.nextBytes(secret);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(ConfigRegistry.PROPERTY_ID, locationId);
    data.put("device_id", deviceId);
    data.put("device_type", deviceType.wireName());
    data.put("name", name);
    if (min != null) {
      data.put("target_min", min);
    }
    if (max != null) {
      data.put("target_max", max);
    }
    if (unit != null) {
      data.put("unit", unit);
    }
    data.put(
        "mqtt_password_hash",
        BCrypt.withDefaults().hashToString(BCRYPT_COST, password.toCharArray()));
    if (config.store().find(type, deviceId, tenantId).isPresent()) {
      throw ApiException.conflict(
          "device '" + deviceId + "' is already registered in this tenant: choose another id",
          "device_id");
    }
    config.create(type, deviceId, data, "admin");
    IotDevice device =
        new IotDevice(tenantId, locationId, deviceId, deviceType, name, min, max, unit);
    log.info(
        "IoT device {} ({}) registered at tenant {} location {}",
        deviceId,
        deviceType.wireName(),
        tenantId,
        locationId);
    return new Registered(device, password);
  }

  /** A tenant's devices, or one location's when {@code locationId} is not null. */
  public List<IotDevice> list(String tenantId, String locationId) {
    List<IotDevice> out = new ArrayList<>();
    String after = null;
    while (true) {
      List<ConfigStore.StoredEntity> page =
          config.store().list(type, locationId, tenantId, after, PAGE);
      for (ConfigStore.StoredEntity e : page) {
        if (e.propertyId() != null) {
          out.add(IotDevice.fromConfig(tenantId, e.propertyId(), withId(e)));
        }
      }
      if (page.size() < PAGE) {
        return out;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  /** The devices of one location, by device id. */
  public Map<String, IotDevice> ofLocation(String tenantId, String locationId) {
    Map<String, IotDevice> out = new LinkedHashMap<>();
    for (IotDevice d : list(tenantId, locationId)) {
      out.put(d.deviceId(), d);
    }
    return out;
  }

  public Optional<IotDevice> find(String tenantId, String deviceId) {
    return config
        .store()
        .find(type, deviceId, tenantId)
        .filter(e -> e.propertyId() != null)
        .map(e -> IotDevice.fromConfig(tenantId, e.propertyId(), withId(e)));
  }

  private static Map<String, Object> withId(ConfigStore.StoredEntity e) {
    Map<String, Object> data = new LinkedHashMap<>(e.data());
    data.putIfAbsent("device_id", e.id());
    return data;
  }

  private static Double optionalNumber(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw ApiException.invalidField(field, field + " must be a number, was " + Bodies.kind(v));
    }
    return v.doubleValue();
  }
}
