package dev.olympus.core.iot;

import java.util.regex.Pattern;

/** Parses and builds topics of the {@code olympus/…} tree. */
public final class Topics {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private Topics() {}

  /**
   * Parses a topic strictly: segment count, known kinds, ids matching {@code
   * [A-Za-z0-9_.:-]{1,64}}.
   *
   * @throws TopicException saying what is wrong
   */
  public static Topic parse(String topic) throws TopicException {
    if (topic == null || topic.isEmpty()) {
      throw new TopicException("topic is empty");
    }
    String[] s = topic.split("/", -1);
    if (!"olympus".equals(s[0])) {
      throw new TopicException("topic must start with olympus/, got " + abbreviate(topic));
    }
    if (s.length < 5) {
      throw new TopicException("topic has too few segments: " + abbreviate(topic));
    }
    String tenant = id(s[1], "tenant_id");
    String location = id(s[2], "location_id");
    String kind = s[3];
    switch (kind) {
      case "sensors":
        {
          expect(s, 6, topic);
          DeviceType type = type(s[4]);
          if (!type.isSensor()) {
            throw new TopicException(
                s[4] + " is not a sensor type (temperature, humidity, energy, door)");
          }
          return new SensorTopic(tenant, location, type, id(s[5], "device_id"));
        }
      case "equipment":
        {
          expect(s, 7, topic);
          DeviceType type = type(s[4]);
          if (type.isSensor()) {
            throw new TopicException(s[4] + " is not an equipment type (cooler, oven, hvac)");
          }
          if (!"status".equals(s[6])) {
            throw new TopicException("equipment topics end with /status, got " + s[6]);
          }
          return new EquipmentStatusTopic(tenant, location, type, id(s[5], "device_id"));
        }
      case "alerts":
        {
          expect(s, 6, topic);
          Severity severity;
          try {
            severity = Severity.fromWire(s[4]);
          } catch (IllegalArgumentException e) {
            throw new TopicException(e.getMessage());
          }
          return new AlertTopic(tenant, location, severity, id(s[5], "alert_id"));
        }
      case "commands":
        {
          expect(s, 6, topic);
          String device = id(s[4], "device_id");
          if ("action".equals(s[5])) {
            return new CommandTopic(tenant, location, device);
          }
          if ("ack".equals(s[5])) {
            return new CommandAckTopic(tenant, location, device);
          }
          throw new TopicException("command topics end with /action or /ack, got " + s[5]);
        }
      default:
        throw new TopicException(
            "unknown topic kind " + abbreviate(kind) + " (sensors, equipment, alerts, commands)");
    }
  }

  /** The filter matching every topic of one location: {@code olympus/{t}/{l}/#}. */
  public static String locationFilter(String tenantId, String locationId) {
    return "olympus/" + tenantId + "/" + locationId + "/#";
  }

  /** The topic a device publishes its telemetry on. */
  public static String telemetryTopic(IotDevice device) {
    Topic t =
        device.type().isSensor()
            ? new SensorTopic(
                device.tenantId(), device.locationId(), device.type(), device.deviceId())
            : new EquipmentStatusTopic(
                device.tenantId(), device.locationId(), device.type(), device.deviceId());
    return t.name();
  }

  private static void expect(String[] s, int n, String topic) throws TopicException {
    if (s.length != n) {
      throw new TopicException(
          "topic " + abbreviate(topic) + " has " + s.length + " segments, expected " + n);
    }
  }

  private static DeviceType type(String s) throws TopicException {
    try {
      return DeviceType.fromWire(s);
    } catch (IllegalArgumentException e) {
      throw new TopicException(e.getMessage());
    }
  }

  private static String id(String s, String field) throws TopicException {
    if (!ID.matcher(s).matches()) {
      throw new TopicException(
          field + " must match [A-Za-z0-9_.:-]{1,64}, got '" + abbreviate(s) + "'");
    }
    return s;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
