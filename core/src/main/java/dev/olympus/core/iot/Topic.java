package dev.olympus.core.iot;

/** A parsed topic of seed 000's tree. */
public sealed interface Topic
    permits SensorTopic, EquipmentStatusTopic, AlertTopic, CommandTopic, CommandAckTopic {
  String tenantId();

  String locationId();

  /** The topic string. */
  String name();
}
