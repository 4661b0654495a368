package dev.olympus.cloud.iot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertRule;
import dev.olympus.core.iot.AlertStatus;
import dev.olympus.core.iot.Severity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The alert JSON of the wire contract, both ways. */
final class AlertJson {
  private AlertJson() {}

  /**
   * An alert of an edge's batch; tenant and location are the edge's, never the body's. Throws 400
   * naming {@code field} (e.g. {@code alerts[3].rule}).
   */
  static Alert read(JsonNode n, String field, String tenantId, String locationId) {
    if (!n.isObject()) {
      throw ApiException.invalidField(
          field, field + " must be an alert object, was " + Bodies.kind(n));
    }
    String id = Bodies.memberText(n, field, "alert_id", true);
    String rule = Bodies.memberText(n, field, "rule", true);
    AlertRule r;
    try {
      r = AlertRule.valueOf(rule.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(
          field + ".rule",
          field
              + ".rule '"
              + Bodies.abbreviate(rule)
              + "' is not one of temperature_high, temperature_low, door_open,"
              + " equipment_offline, energy_spike");
    }
    String sev = Bodies.memberText(n, field, "severity", false);
    Severity severity;
    try {
      severity = sev == null ? r.severity() : Severity.fromWire(sev);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(field + ".severity", field + ".severity: " + e.getMessage());
    }
    String st = Bodies.memberText(n, field, "status", true);
    AlertStatus status;
    try {
      status = AlertStatus.valueOf(st.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(
          field + ".status", field + ".status must be active, acknowledged or resolved");
    }
    Instant started = instant(n, field, "started_at");
    if (started == null) {
      throw ApiException.missingField(field + ".started_at");
    }
    return new Alert(
        id,
        tenantId,
        locationId,
        Bodies.memberText(n, field, "device_id", true),
        r,
        severity,
        status,
        started,
        instant(n, field, "raised_at"),
        instant(n, field, "acknowledged_at"),
        Bodies.memberText(n, field, "acknowledged_by", false),
        instant(n, field, "resolved_at"),
        number(n, field, "value"),
        number(n, field, "threshold"),
        (int) Math.max(0, Math.min(Integer.MAX_VALUE, integer(n, field, "escalations"))),
        Bodies.memberText(n, field, "message", false));
  }

  private static Instant instant(JsonNode n, String prefix, String name) {
    String s = Bodies.memberText(n, prefix, name, false);
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw ApiException.invalidField(
          prefix + "." + name,
          prefix + "." + name + " must be an ISO-8601 UTC time like 2026-01-01T00:00:00Z");
    }
  }

  private static Double number(JsonNode n, String prefix, String name) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw ApiException.invalidField(
          prefix + "." + name, prefix + "." + name + " must be a number, was " + Bodies.kind(v));
    }
    return v.doubleValue();
  }

  private static long integer(JsonNode n, String prefix, String name) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw ApiException.invalidField(
          prefix + "." + name, prefix + "." + name + " must be an integer, was " + Bodies.kind(v));
    }
    return v.longValue();
  }
}
