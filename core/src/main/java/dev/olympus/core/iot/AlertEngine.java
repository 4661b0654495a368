package dev.olympus.core.iot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One engine for edge and cloud. Single-threaded: callers serialize calls. Event-time rules.
 *
 * <p>Minimal version: temperature high and low, raised on the first reading out of range and
 * resolved on the first one back inside it.
 */
public final class AlertEngine {
  private static final JsonFactory JSON = new JsonFactory();

  private final AlertSettings settings;
  private final Map<String, IotDevice> devices = new HashMap<>();
  private final Map<String, Alert> alerts = new LinkedHashMap<>();

  public AlertEngine(AlertSettings settings) {
    this.settings = settings;
  }

  public void watch(Collection<IotDevice> known) {
    devices.clear();
    for (IotDevice d : known) {
      devices.put(d.tenantId() + "/" + d.deviceId(), d);
    }
  }

  public List<AlertEvent> onEvent(TelemetryEvent event, Instant now) {
    IotDevice d = devices.get(event.tenantId() + "/" + event.deviceId());
    if (d == null || event.deviceType() != DeviceType.TEMPERATURE || event.value() == null) {
      return List.of();
    }
    List<AlertEvent> out = new ArrayList<>();
    double v = event.value();
    Instant at = Instant.ofEpochMilli(event.tsMillis());
    check(
        out,
        d,
        AlertRule.TEMPERATURE_HIGH,
        d.targetMax() != null && v > d.targetMax(),
        v,
        d.targetMax(),
        at);
    check(
        out,
        d,
        AlertRule.TEMPERATURE_LOW,
        d.targetMin() != null && v < d.targetMin(),
        v,
        d.targetMin(),
        at);
    return out;
  }

  private void check(
      List<AlertEvent> out,
      IotDevice d,
      AlertRule rule,
      boolean violated,
      double v,
      Double threshold,
      Instant at) {
    Alert open = openFor(d, rule);
    if (violated && open == null) {
      Alert a =
          new Alert(
              IotIds.alertId(d.tenantId(), d.deviceId(), rule, at),
              d.tenantId(),
              d.locationId(),
              d.deviceId(),
              rule,
              rule.severity(),
              AlertStatus.ACTIVE,
              at,
              at,
              null,
              null,
              null,
              v,
              threshold,
              0,
              d.name() + " at " + v + ", " + rule.wireName());
      alerts.put(a.alertId(), a);
      out.add(new AlertEvent(AlertEvent.Kind.RAISED, a, true));
    } else if (!violated && open != null) {
      Alert r = with(open, AlertStatus.RESOLVED, open.acknowledgedAt(), open.acknowledgedBy(), at);
      alerts.put(r.alertId(), r);
      out.add(new AlertEvent(AlertEvent.Kind.RESOLVED, r, false));
    }
  }

  private Alert openFor(IotDevice d, AlertRule rule) {
    for (Alert a : alerts.values()) {
      if (a.status() != AlertStatus.RESOLVED
          && a.deviceId().equals(d.deviceId())
          && a.tenantId().equals(d.tenantId())
          && a.rule() == rule) {
        return a;
      }
    }
    return null;
  }

  public List<AlertEvent> tick(Instant now) {
    return List.of();
  }

  public AlertEvent acknowledge(String alertId, String by, Instant now)
      throws UnknownAlertException {
    Alert a = alerts.get(alertId);
    if (a == null) {
      throw new UnknownAlertException();
    }
    Alert r = with(a, AlertStatus.ACKNOWLEDGED, now, by, null);
    alerts.put(alertId, r);
    return new AlertEvent(AlertEvent.Kind.ACKNOWLEDGED, r, false);
  }

  public AlertEvent resolve(String alertId, String by, Instant now) throws UnknownAlertException {
    Alert a = alerts.get(alertId);
    if (a == null) {
      throw new UnknownAlertException();
    }
    Alert r = with(a, AlertStatus.RESOLVED, a.acknowledgedAt(), a.acknowledgedBy(), now);
    alerts.put(alertId, r);
    return new AlertEvent(AlertEvent.Kind.RESOLVED, r, false);
  }

  public List<Alert> openAlerts() {
    return alerts.values().stream().filter(a -> a.status() != AlertStatus.RESOLVED).toList();
  }

  public Optional<Alert> find(String alertId) {
    return Optional.ofNullable(alerts.get(alertId));
  }

  /** Open alerts as JSON: an array of objects. */
  public AlertEngineState snapshot() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartArray();
      for (Alert a : openAlerts()) {
        g.writeStartObject();
        g.writeStringField("alert_id", a.alertId());
        g.writeStringField("tenant_id", a.tenantId());
        g.writeStringField("location_id", a.locationId());
        g.writeStringField("device_id", a.deviceId());
        g.writeStringField("rule", a.rule().name());
        g.writeStringField("status", a.status().name());
        g.writeNumberField("started_at", a.startedAt().toEpochMilli());
        g.writeNumberField("value", a.value() == null ? 0 : a.value());
        g.writeNumberField("threshold", a.threshold() == null ? 0 : a.threshold());
        g.writeStringField("message", a.message());
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AlertEngineState(w.toString());
  }

  public void restore(AlertEngineState state) {
    alerts.clear();
    try (JsonParser p = JSON.createParser(state.json())) {
      p.nextToken();
      while (p.nextToken() == JsonToken.START_OBJECT) {
        Map<String, String> f = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          f.put(name, p.getText());
        }
        AlertRule rule = AlertRule.valueOf(f.get("rule"));
        Instant started = Instant.ofEpochMilli(Long.parseLong(f.get("started_at")));
        Alert a =
            new Alert(
                f.get("alert_id"),
                f.get("tenant_id"),
                f.get("location_id"),
                f.get("device_id"),
                rule,
                rule.severity(),
                AlertStatus.valueOf(f.get("status")),
                started,
                started,
                null,
                null,
                null,
                Double.valueOf(f.get("value")),
                Double.valueOf(f.get("threshold")),
                0,
                f.get("message"));
        alerts.put(a.alertId(), a);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Alert with(
      Alert a, AlertStatus status, Instant ackAt, String ackBy, Instant resolvedAt) {
    return new Alert(
        a.alertId(),
        a.tenantId(),
        a.locationId(),
        a.deviceId(),
        a.rule(),
        a.severity(),
        status,
        a.startedAt(),
        a.raisedAt(),
        ackAt,
        ackBy,
        resolvedAt,
        a.value(),
        a.threshold(),
        a.escalations(),
        a.message());
  }

  AlertSettings settings() {
    return settings;
  }
}
