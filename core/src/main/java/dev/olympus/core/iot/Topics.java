package dev.olympus.core.iot;

import java.util.regex.Pattern;

/** Parses and builds the topics of seed 000's tree. */
public final class Topics {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private Topics() {}

  /** Strict: segment count, known kinds, ids {@code [A-Za-z0-9_.:-]{1,64}}. */
  public static Topic parse(String topic) throws TopicException {
    if (topic == null) {
      throw new TopicException("no topic");
    }
    String[] s = topic.split("/", -1);
    if (s.length < 6 || !"olympus".equals(s[0])) {
      throw new TopicException("topic '" + topic + "' is not olympus/{tenant}/{location}/{kind}/…");
    }
    String t = id(s[1], "tenant id", topic);
    String l = id(s[2], "location id", topic);
    switch (s[3]) {
      case "sensors" -> {
        DeviceType type = type(s[4], topic);
        if (s.length != 6 || !type.isSensor()) {
          throw new TopicException("sensor topic '" + topic + "' is not …/sensors/{type}/{id}");
        }
        return new SensorTopic(t, l, type, id(s[5], "device id", topic));
      }
      case "equipment" -> {
        DeviceType type = type(s[4], topic);
        if (s.length != 7 || type.isSensor() || !"status".equals(s[6])) {
          throw new TopicException(
              "equipment topic '" + topic + "' is not …/equipment/{type}/{id}/status");
        }
        return new EquipmentStatusTopic(t, l, type, id(s[5], "device id", topic));
      }
      case "alerts" -> {
        if (s.length != 6) {
          throw new TopicException("alert topic '" + topic + "' is not …/alerts/{severity}/{id}");
        }
        try {
          return new AlertTopic(t, l, Severity.fromWire(s[4]), id(s[5], "alert id", topic));
        } catch (IllegalArgumentException e) {
          throw new TopicException(e.getMessage());
        }
      }
      case "commands" -> {
        if (s.length == 6 && "action".equals(s[5])) {
          return new CommandTopic(t, l, id(s[4], "device id", topic));
        }
        if (s.length == 6 && "ack".equals(s[5])) {
          return new CommandAckTopic(t, l, id(s[4], "device id", topic));
        }
        throw new TopicException("command topic '" + topic + "' is not …/commands/{id}/action|ack");
      }
      default -> throw new TopicException("unknown topic kind '" + s[3] + "' in '" + topic + "'");
    }
  }

  public static String locationFilter(String tenantId, String locationId) {
    return "olympus/" + tenantId + "/" + locationId + "/#";
  }

  /** The sensors/ or equipment/…/status topic of a device. */
  public static String telemetryTopic(IotDevice device) {
    return device.type().isSensor()
        ? new SensorTopic(device.tenantId(), device.locationId(), device.type(), device.deviceId())
            .name()
        : new EquipmentStatusTopic(
                device.tenantId(), device.locationId(), device.type(), device.deviceId())
            .name();
  }

  private static String id(String s, String what, String topic) throws TopicException {
    if (!ID.matcher(s).matches()) {
      throw new TopicException(
          what + " '" + s + "' in '" + topic + "' is not [A-Za-z0-9_.:-]{1,64}");
    }
    return s;
  }

  private static DeviceType type(String s, String topic) throws TopicException {
    try {
      return DeviceType.fromWire(s);
    } catch (IllegalArgumentException e) {
      throw new TopicException(e.getMessage() + " (topic '" + topic + "')");
    }
  }
}
