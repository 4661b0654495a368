package dev.olympus.core.iot;

import java.time.Instant;

/**
 * One alert = one episode of one rule on one device.
 *
 * @param startedAt event time the condition began
 * @param raisedAt event time the rule fired (after the minimum duration)
 * @param value the worst value seen in the episode
 */
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
