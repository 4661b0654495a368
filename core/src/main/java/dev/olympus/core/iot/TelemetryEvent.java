package dev.olympus.core.iot;

/** One telemetry event, after parsing. Exactly one of (value), (open), (state) is set, by type. */
public record TelemetryEvent(
    String tenantId,
    String locationId,
    String deviceId,
    DeviceType deviceType,
    long tsMillis,
    Double value,
    String unit,
    Boolean open,
    String state,
    String attributesJson) {}
