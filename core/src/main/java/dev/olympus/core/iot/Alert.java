package dev.olympus.core.iot;

import java.time.Instant;

/** One alert = one episode of one rule on one device. */
public record Alert(
    String alertId,
    String tenantId,
    String locationId,
    String deviceId,
    AlertRule rule,
    Severity severity,
    AlertStatus status,
    Instant startedAt,
    Instant raisedAt,
    Instant acknowledgedAt,
    String acknowledgedBy,
    Instant resolvedAt,
    Double value,
    Double threshold,
    int escalations,
    String message) {}
