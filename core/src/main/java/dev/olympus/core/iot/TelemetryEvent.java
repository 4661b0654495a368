package dev.olympus.core.iot;

/**
 * One telemetry event, after parsing. Exactly one of {@code value} (temperature, humidity, energy,
 * with {@code unit}), {@code open} (door) and {@code state} (cooler, oven, hvac, with the rest of
 * the status object as compact JSON in {@code attributesJson}, or null) is set.
 */
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
