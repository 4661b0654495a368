package dev.olympus.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.core.iot.Alert;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The wire contract's Alert JSON, for webhooks, staff notices and the log. */
final class AlertJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private AlertJson() {}

  static Map<String, Object> toMap(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alert_id", a.alertId());
    m.put("device_id", a.deviceId());
    m.put("location_id", a.locationId());
    m.put("rule", a.rule().wireName());
    m.put("severity", a.severity().wireName());
    m.put("status", a.status().wireName());
    m.put("started_at", text(a.startedAt()));
    m.put("raised_at", text(a.raisedAt()));
    m.put("acknowledged_at", text(a.acknowledgedAt()));
    m.put("acknowledged_by", a.acknowledgedBy());
    m.put("resolved_at", text(a.resolvedAt()));
    m.put("value", a.value());
    m.put("threshold", a.threshold());
    m.put("escalations", a.escalations());
    m.put("message", a.message());
    return m;
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
