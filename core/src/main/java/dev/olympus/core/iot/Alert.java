package dev.olympus.core.iot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
    String message) {
  /** The wire contract's Alert JSON, as a map (the same on the edge, in the cloud and in hooks). */
  public Map<String, Object> toWire() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alert_id", alertId);
    m.put("device_id", deviceId);
    m.put("location_id", locationId);
    m.put("rule", rule.wireName());
    m.put("severity", severity.wireName());
    m.put("status", status.wireName());
    m.put("started_at", text(startedAt));
    m.put("raised_at", text(raisedAt));
    m.put("acknowledged_at", text(acknowledgedAt));
    m.put("acknowledged_by", acknowledgedBy);
    m.put("resolved_at", text(resolvedAt));
    m.put("value", value);
    m.put("threshold", threshold);
    m.put("escalations", escalations);
    m.put("message", message);
    return m;
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
