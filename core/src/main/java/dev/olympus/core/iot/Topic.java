package dev.olympus.core.iot;

/** A parsed topic of the {@code olympus/{tenant}/{location}/…} tree. */
public sealed interface Topic
    permits SensorTopic, EquipmentStatusTopic, AlertTopic, CommandTopic, CommandAckTopic {
  String tenantId();

  String locationId();

  /** The topic string. */
  String name();
}
