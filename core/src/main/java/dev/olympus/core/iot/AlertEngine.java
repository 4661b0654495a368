package dev.olympus.core.iot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The five food-safety rules, one engine for the edge and the cloud. Rules run on event time, so a
 * replayed backlog records past episodes ({@link AlertEvent.Kind#RECORDED_LATE}) without notifying
 * anyone; offline detection and escalation run on wall-clock time in {@link #tick}.
 *
 * <p>Single-threaded: callers serialize calls (one ingest thread). An event older than the device's
 * latest event is counted as a sign of life but ignored for the rules, because the rules' state has
 * already moved past it (see docs/iot.md).
 */
public final class AlertEngine {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int ENERGY_MIN_SAMPLES = 5;
  private static final double ENERGY_ALPHA = 0.2;
  private static final int CLOSED_KEPT = 1000;

  private final AlertSettings settings;
  private final Map<String, IotDevice> devices = new HashMap<>();
  private final Map<String, DeviceState> states = new HashMap<>();
  private final Map<String, Episode> open = new LinkedHashMap<>();
  private final LinkedHashMap<String, Alert> closed = new LinkedHashMap<>();

  /** An engine with these rule parameters. */
  public AlertEngine(AlertSettings settings) {
    this.settings = settings;
  }

  /**
   * Replaces the set of known devices (ranges, types); new devices start their offline clock now.
   */
  public void watch(Collection<IotDevice> watched) {
    watch(watched, Instant.now());
  }

  void watch(Collection<IotDevice> watched, Instant now) {
    devices.clear();
    for (IotDevice d : watched) {
      String key = key(d.tenantId(), d.deviceId());
      devices.put(key, d);
      states.computeIfAbsent(key, k -> new DeviceState()).watchStart(now.toEpochMilli());
    }
  }

  /** Evaluates one event; {@code now} is the wall clock at ingest. */
  public List<AlertEvent> onEvent(TelemetryEvent event, Instant now) {
    List<AlertEvent> out = new ArrayList<>();
    String key = key(event.tenantId(), event.deviceId());
    IotDevice device = devices.get(key);
    if (device == null) {
      return out;
    }
    DeviceState s = states.computeIfAbsent(key, k -> new DeviceState());
    s.lastArrival = now.toEpochMilli();
    Episode offline = open.get(episodeKey(key, AlertRule.EQUIPMENT_OFFLINE));
    if (offline != null) {
      out.add(close(offline, now.toEpochMilli(), now));
    }
    long t = event.tsMillis();
    if (s.lastEventTs != null && t < s.lastEventTs) {
      return out;
    }
    s.lastEventTs = t;
    if (device.type() == DeviceType.TEMPERATURE && event.value() != null) {
      temperature(device, key, s, t, event.value(), now, out);
    } else if (device.type() == DeviceType.DOOR && event.open() != null) {
      door(device, key, s, t, event.open(), now, out);
    } else if (device.type() == DeviceType.ENERGY && event.value() != null) {
      energy(device, key, s, t, event.value(), now, out);
    }
    // A backlog that reached the present: its still-holding episodes are now live.
    if (t >= now.toEpochMilli() - settings.liveWindow().toMillis()) {
      for (Episode e : open.values()) {
        if (e.deviceKey.equals(key) && !e.emitted) {
          out.add(emitRaised(e, now));
        }
      }
    }
    return out;
  }

  /** Timers reaching their duration without new events, offline detection, escalation. */
  public List<AlertEvent> tick(Instant now) {
    List<AlertEvent> out = new ArrayList<>();
    long n = now.toEpochMilli();
    for (Map.Entry<String, IotDevice> entry : devices.entrySet()) {
      String key = entry.getKey();
      IotDevice device = entry.getValue();
      DeviceState s = states.computeIfAbsent(key, k -> new DeviceState());
      if (replaying(s, n)) {
        continue;
      }
      for (Episode e : new ArrayList<>(open.values())) {
        if (e.deviceKey.equals(key) && !e.emitted) {
          out.add(emitRaised(e, now));
        }
      }
      if (device.type() == DeviceType.TEMPERATURE) {
        for (AlertRule rule : List.of(AlertRule.TEMPERATURE_HIGH, AlertRule.TEMPERATURE_LOW)) {
          Long since = rule == AlertRule.TEMPERATURE_HIGH ? s.highSince : s.lowSince;
          if (since != null
              && !open.containsKey(episodeKey(key, rule))
              && n - since >= settings.temperatureMinDuration().toMillis()) {
            double worst = rule == AlertRule.TEMPERATURE_HIGH ? s.highWorst : s.lowWorst;
            Episode e =
                raise(
                    device,
                    key,
                    rule,
                    since,
                    since + settings.temperatureMinDuration().toMillis(),
                    worst);
            out.add(emitRaised(e, now));
          }
        }
      }
      if (device.type() == DeviceType.DOOR
          && s.doorOpenSince != null
          && !open.containsKey(episodeKey(key, AlertRule.DOOR_OPEN))
          && n - s.doorOpenSince >= settings.doorOpenLimit().toMillis()) {
        Episode e =
            raise(
                device,
                key,
                AlertRule.DOOR_OPEN,
                s.doorOpenSince,
                s.doorOpenSince + settings.doorOpenLimit().toMillis(),
                null);
        out.add(emitRaised(e, now));
      }
      long lastSign = s.lastArrival != null ? s.lastArrival : s.watchStart;
      if (n - lastSign >= settings.offlineAfter().toMillis()
          && !open.containsKey(episodeKey(key, AlertRule.EQUIPMENT_OFFLINE))) {
        Episode e = raise(device, key, AlertRule.EQUIPMENT_OFFLINE, lastSign, n, null);
        out.add(emitRaised(e, now));
      }
    }
    for (Episode e : open.values()) {
      if (e.emitted
          && e.status == AlertStatus.ACTIVE
          && e.rule.severity() == Severity.CRITICAL
          && n >= e.notifiedAt + (e.escalations + 1L) * settings.escalateAfter().toMillis()) {
        e.escalations++;
        out.add(new AlertEvent(AlertEvent.Kind.ESCALATED, e.toAlert(), true));
      }
    }
    return out;
  }

  /**
   * Acknowledges an open alert, which stops its escalation. Acknowledging an acknowledged or
   * resolved alert changes nothing and answers its current state (shouldNotify false).
   */
  public AlertEvent acknowledge(String alertId, String by, Instant now)
      throws UnknownAlertException {
    Episode e = openById(alertId);
    if (e == null) {
      return new AlertEvent(AlertEvent.Kind.ACKNOWLEDGED, closedOrThrow(alertId), false);
    }
    if (e.status == AlertStatus.ACTIVE) {
      e.status = AlertStatus.ACKNOWLEDGED;
      e.acknowledgedAt = now.toEpochMilli();
      e.acknowledgedBy = by;
    }
    return new AlertEvent(AlertEvent.Kind.ACKNOWLEDGED, e.toAlert(), false);
  }

  /**
   * Resolves an open alert by hand; the condition's timer restarts at the next violating reading.
   * Resolving a resolved alert answers it unchanged.
   */
  public AlertEvent resolve(String alertId, String by, Instant now) throws UnknownAlertException {
    Episode e = openById(alertId);
    if (e == null) {
      return new AlertEvent(AlertEvent.Kind.RESOLVED, closedOrThrow(alertId), false);
    }
    if (e.acknowledgedBy == null) {
      e.acknowledgedBy = by;
    }
    DeviceState s = states.get(e.deviceKey);
    if (s != null) {
      clearCondition(s, e.rule);
    }
    return close(e, now.toEpochMilli(), now);
  }

  /** ACTIVE and ACKNOWLEDGED alerts that have been raised. */
  public List<Alert> openAlerts() {
    List<Alert> out = new ArrayList<>();
    for (Episode e : open.values()) {
      if (e.emitted) {
        out.add(e.toAlert());
      }
    }
    return out;
  }

  /** An open or recently closed alert. */
  public Optional<Alert> find(String alertId) {
    Episode e = openById(alertId);
    if (e != null) {
      return Optional.of(e.toAlert());
    }
    return Optional.ofNullable(closed.get(alertId));
  }

  // ---- rules ----

  private void temperature(
      IotDevice d, String key, DeviceState s, long t, double v, Instant now, List<AlertEvent> out) {
    if (d.targetMax() != null) {
      double max = d.targetMax();
      Episode e = open.get(episodeKey(key, AlertRule.TEMPERATURE_HIGH));
      if (e != null) {
        if (v <= max - settings.hysteresis()) {
          s.highSince = null;
          out.addAll(closeOrRecord(e, t, now));
        } else {
          e.worst(v, true);
        }
      } else if (v > max) {
        if (s.highSince == null) {
          s.highSince = t;
          s.highWorst = v;
        }
        s.highWorst = Math.max(s.highWorst, v);
        long fire = s.highSince + settings.temperatureMinDuration().toMillis();
        if (t >= fire) {
          Episode n = raise(d, key, AlertRule.TEMPERATURE_HIGH, s.highSince, fire, s.highWorst);
          maybeEmit(n, t, now, out);
        }
      } else {
        s.highSince = null;
      }
    }
    if (d.targetMin() != null) {
      double min = d.targetMin();
      Episode e = open.get(episodeKey(key, AlertRule.TEMPERATURE_LOW));
      if (e != null) {
        if (v >= min + settings.hysteresis()) {
          s.lowSince = null;
          out.addAll(closeOrRecord(e, t, now));
        } else {
          e.worst(v, false);
        }
      } else if (v < min) {
        if (s.lowSince == null) {
          s.lowSince = t;
          s.lowWorst = v;
        }
        s.lowWorst = Math.min(s.lowWorst, v);
        long fire = s.lowSince + settings.temperatureMinDuration().toMillis();
        if (t >= fire) {
          Episode n = raise(d, key, AlertRule.TEMPERATURE_LOW, s.lowSince, fire, s.lowWorst);
          maybeEmit(n, t, now, out);
        }
      } else {
        s.lowSince = null;
      }
    }
  }

  private void door(
      IotDevice d,
      String key,
      DeviceState s,
      long t,
      boolean isOpen,
      Instant now,
      List<AlertEvent> out) {
    Episode e = open.get(episodeKey(key, AlertRule.DOOR_OPEN));
    if (!isOpen) {
      s.doorOpenSince = null;
      if (e != null) {
        out.addAll(closeOrRecord(e, t, now));
      }
      return;
    }
    if (s.doorOpenSince == null) {
      s.doorOpenSince = t;
    }
    long fire = s.doorOpenSince + settings.doorOpenLimit().toMillis();
    if (e == null && t >= fire) {
      maybeEmit(raise(d, key, AlertRule.DOOR_OPEN, s.doorOpenSince, fire, null), t, now, out);
    }
  }

  private void energy(
      IotDevice d, String key, DeviceState s, long t, double v, Instant now, List<AlertEvent> out) {
    int hour = (int) ((t / 3_600_000L) % 24);
    Episode e = open.get(episodeKey(key, AlertRule.ENERGY_SPIKE));
    double baseline = s.baseline[hour];
    boolean learnt = s.samples[hour] >= ENERGY_MIN_SAMPLES;
    boolean spike = learnt && v > settings.energySpikeRatio() * baseline;
    if (e != null) {
      if (!spike) {
        out.addAll(closeOrRecord(e, t, now));
      } else {
        e.worst(v, true);
      }
    } else if (spike) {
      Episode n = raise(d, key, AlertRule.ENERGY_SPIKE, t, t, v);
      n.threshold = settings.energySpikeRatio() * baseline;
      maybeEmit(n, t, now, out);
    }
    if (!spike) {
      // Spikes stay out of the baseline so a long one does not teach the engine it is normal.
      s.baseline[hour] = s.samples[hour] == 0 ? v : baseline + ENERGY_ALPHA * (v - baseline);
      s.samples[hour]++;
    }
  }

  // ---- episodes ----

  private Episode raise(
      IotDevice d, String key, AlertRule rule, long startedAt, long raisedAt, Double worst) {
    Episode e = new Episode();
    e.deviceKey = key;
    e.alertId = IotIds.alertId(d.tenantId(), d.deviceId(), rule, Instant.ofEpochMilli(startedAt));
    e.tenantId = d.tenantId();
    e.locationId = d.locationId();
    e.deviceId = d.deviceId();
    e.deviceName = d.name() == null ? d.deviceId() : d.name();
    e.unit = d.unit() == null ? "" : d.unit();
    e.rule = rule;
    e.status = AlertStatus.ACTIVE;
    e.startedAt = startedAt;
    e.raisedAt = raisedAt;
    e.value = worst;
    if (rule == AlertRule.TEMPERATURE_HIGH) {
      e.threshold = d.targetMax();
    } else if (rule == AlertRule.TEMPERATURE_LOW) {
      e.threshold = d.targetMin();
    }
    open.put(episodeKey(key, rule), e);
    return e;
  }

  /** Emits a raise now if the event is live; a backlog's raise waits to see whether it ended. */
  private void maybeEmit(Episode e, long t, Instant now, List<AlertEvent> out) {
    if (t >= now.toEpochMilli() - settings.liveWindow().toMillis()) {
      out.add(emitRaised(e, now));
    }
  }

  private AlertEvent emitRaised(Episode e, Instant now) {
    e.emitted = true;
    e.notifiedAt = now.toEpochMilli();
    return new AlertEvent(AlertEvent.Kind.RAISED, e.toAlert(), true);
  }

  private List<AlertEvent> closeOrRecord(Episode e, long endedAt, Instant now) {
    List<AlertEvent> out = new ArrayList<>();
    if (!e.emitted) {
      if (endedAt < now.toEpochMilli() - settings.liveWindow().toMillis()) {
        e.emitted = true;
        e.status = AlertStatus.RESOLVED;
        e.resolvedAt = endedAt;
        open.remove(episodeKey(e.deviceKey, e.rule));
        remember(e.toAlert());
        out.add(new AlertEvent(AlertEvent.Kind.RECORDED_LATE, e.toAlert(), false));
        return out;
      }
      out.add(emitRaised(e, now));
    }
    out.add(close(e, endedAt, now));
    return out;
  }

  private AlertEvent close(Episode e, long resolvedAt, Instant now) {
    boolean wasEmitted = e.emitted;
    e.emitted = true;
    e.status = AlertStatus.RESOLVED;
    e.resolvedAt = resolvedAt;
    open.remove(episodeKey(e.deviceKey, e.rule));
    Alert a = e.toAlert();
    remember(a);
    return new AlertEvent(
        wasEmitted ? AlertEvent.Kind.RESOLVED : AlertEvent.Kind.RECORDED_LATE, a, false);
  }

  private void remember(Alert a) {
    closed.put(a.alertId(), a);
    if (closed.size() > CLOSED_KEPT) {
      closed.remove(closed.keySet().iterator().next());
    }
  }

  private static void clearCondition(DeviceState s, AlertRule rule) {
    if (rule == AlertRule.TEMPERATURE_HIGH) {
      s.highSince = null;
    } else if (rule == AlertRule.TEMPERATURE_LOW) {
      s.lowSince = null;
    } else if (rule == AlertRule.DOOR_OPEN) {
      s.doorOpenSince = null;
    }
  }

  /**
   * A device whose latest arrival was an old event is mid-replay: its timers wait for the present.
   */
  private boolean replaying(DeviceState s, long now) {
    return s.lastArrival != null
        && s.lastEventTs != null
        && now - s.lastArrival < settings.liveWindow().toMillis()
        && s.lastEventTs < s.lastArrival - settings.liveWindow().toMillis();
  }

  private Episode openById(String alertId) {
    for (Episode e : open.values()) {
      if (e.alertId.equals(alertId) && e.emitted) {
        return e;
      }
    }
    return null;
  }

  private Alert closedOrThrow(String alertId) throws UnknownAlertException {
    Alert a = closed.get(alertId);
    if (a == null) {
      throw new UnknownAlertException();
    }
    return a;
  }

  private static String key(String tenantId, String deviceId) {
    return tenantId + "|" + deviceId;
  }

  private static String episodeKey(String deviceKey, AlertRule rule) {
    return deviceKey + "|" + rule.name();
  }

  // ---- state ----

  /** Timers, open alerts, last-seen times and baselines as JSON. */
  public AlertEngineState snapshot() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeNumberField("version", 1);
      g.writeObjectFieldStart("devices");
      for (Map.Entry<String, DeviceState> en : states.entrySet()) {
        DeviceState s = en.getValue();
        g.writeObjectFieldStart(en.getKey());
        num(g, "watch_start", s.watchStart);
        num(g, "last_arrival", s.lastArrival);
        num(g, "last_event_ts", s.lastEventTs);
        num(g, "high_since", s.highSince);
        g.writeNumberField("high_worst", s.highWorst);
        num(g, "low_since", s.lowSince);
        g.writeNumberField("low_worst", s.lowWorst);
        num(g, "door_open_since", s.doorOpenSince);
        g.writeArrayFieldStart("baseline");
        for (double b : s.baseline) {
          g.writeNumber(b);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("samples");
        for (int c : s.samples) {
          g.writeNumber(c);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeArrayFieldStart("open");
      for (Episode e : open.values()) {
        g.writeStartObject();
        g.writeStringField("device_key", e.deviceKey);
        g.writeStringField("alert_id", e.alertId);
        g.writeStringField("tenant_id", e.tenantId);
        g.writeStringField("location_id", e.locationId);
        g.writeStringField("device_id", e.deviceId);
        g.writeStringField("device_name", e.deviceName);
        g.writeStringField("unit", e.unit);
        g.writeStringField("rule", e.rule.wireName());
        g.writeStringField("status", e.status.wireName());
        g.writeNumberField("started_at", e.startedAt);
        g.writeNumberField("raised_at", e.raisedAt);
        num(g, "acknowledged_at", e.acknowledgedAt);
        g.writeStringField("acknowledged_by", e.acknowledgedBy);
        dbl(g, "value", e.value);
        dbl(g, "threshold", e.threshold);
        g.writeNumberField("escalations", e.escalations);
        g.writeBooleanField("emitted", e.emitted);
        g.writeNumberField("notified_at", e.notifiedAt);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return new AlertEngineState(w.toString());
  }

  /**
   * Restores a snapshot: timers continue from where they were, nothing restarts.
   *
   * @throws IllegalArgumentException for text that is not a snapshot
   */
  @SuppressWarnings("unchecked")
  public void restore(AlertEngineState state) {
    Map<String, Object> root;
    try (JsonParser p = JSON.createParser(state.json())) {
      p.nextToken();
      root = (Map<String, Object>) read(p);
    } catch (IOException | ClassCastException ex) {
      throw new IllegalArgumentException("not an alert engine snapshot: " + ex.getMessage(), ex);
    }
    states.clear();
    open.clear();
    Map<String, Object> ds = (Map<String, Object>) root.getOrDefault("devices", Map.of());
    for (Map.Entry<String, Object> en : ds.entrySet()) {
      Map<String, Object> m = (Map<String, Object>) en.getValue();
      DeviceState s = new DeviceState();
      Long ws = lng(m.get("watch_start"));
      // A device never heard from starts its offline clock again at the restart.
      s.watchStart = ws == null || m.get("last_arrival") == null ? System.currentTimeMillis() : ws;
      s.lastArrival = lng(m.get("last_arrival"));
      s.lastEventTs = lng(m.get("last_event_ts"));
      s.highSince = lng(m.get("high_since"));
      s.highWorst = dblv(m.get("high_worst"));
      s.lowSince = lng(m.get("low_since"));
      s.lowWorst = dblv(m.get("low_worst"));
      s.doorOpenSince = lng(m.get("door_open_since"));
      List<Object> b = (List<Object>) m.get("baseline");
      List<Object> c = (List<Object>) m.get("samples");
      for (int i = 0; i < 24 && b != null && i < b.size(); i++) {
        s.baseline[i] = dblv(b.get(i));
        s.samples[i] = c == null ? 0 : lng(c.get(i)).intValue();
      }
      states.put(en.getKey(), s);
    }
    for (Object o : (List<Object>) root.getOrDefault("open", List.of())) {
      Map<String, Object> m = (Map<String, Object>) o;
      Episode e = new Episode();
      e.deviceKey = (String) m.get("device_key");
      e.alertId = (String) m.get("alert_id");
      e.tenantId = (String) m.get("tenant_id");
      e.locationId = (String) m.get("location_id");
      e.deviceId = (String) m.get("device_id");
      e.deviceName = (String) m.get("device_name");
      e.unit = (String) m.get("unit");
      e.rule = AlertRule.fromWire((String) m.get("rule"));
      e.status = AlertStatus.valueOf(((String) m.get("status")).toUpperCase(Locale.ROOT));
      e.startedAt = lng(m.get("started_at"));
      e.raisedAt = lng(m.get("raised_at"));
      e.acknowledgedAt = lng(m.get("acknowledged_at"));
      e.acknowledgedBy = (String) m.get("acknowledged_by");
      e.value = m.get("value") == null ? null : dblv(m.get("value"));
      e.threshold = m.get("threshold") == null ? null : dblv(m.get("threshold"));
      e.escalations = lng(m.get("escalations")).intValue();
      e.emitted = Boolean.TRUE.equals(m.get("emitted"));
      e.notifiedAt = lng(m.get("notified_at"));
      open.put(episodeKey(e.deviceKey, e.rule), e);
    }
    // A watched device the snapshot does not know (registered after it was taken) starts its
    // offline clock now, as a newly watched one does, never at the epoch.
    long now = System.currentTimeMillis();
    for (String key : devices.keySet()) {
      states.computeIfAbsent(key, k -> new DeviceState()).watchStart(now);
    }
  }

  private static Object read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, Object> m = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        m.put(name, read(p));
      }
      return m;
    }
    if (t == JsonToken.START_ARRAY) {
      List<Object> l = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        l.add(read(p));
      }
      return l;
    }
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new IOException("unexpected " + t);
  }

  private static void num(JsonGenerator g, String name, Long v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, v);
    }
  }

  private static void dbl(JsonGenerator g, String name, Double v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, v);
    }
  }

  private static Long lng(Object o) {
    return o == null ? null : ((Number) o).longValue();
  }

  private static double dblv(Object o) {
    return o == null ? 0 : ((Number) o).doubleValue();
  }

  /** Per-device rule state. */
  private static final class DeviceState {
    long watchStart;
    Long lastArrival;
    Long lastEventTs;
    Long highSince;
    double highWorst;
    Long lowSince;
    double lowWorst;
    Long doorOpenSince;
    final double[] baseline = new double[24];
    final int[] samples = new int[24];

    void watchStart(long now) {
      if (watchStart == 0) {
        watchStart = now;
      }
    }
  }

  /** One open episode, mutable inside the engine, exposed as an immutable {@link Alert}. */
  private static final class Episode {
    String deviceKey;
    String alertId;
    String tenantId;
    String locationId;
    String deviceId;
    String deviceName;
    String unit;
    AlertRule rule;
    AlertStatus status;
    long startedAt;
    long raisedAt;
    Long acknowledgedAt;
    String acknowledgedBy;
    Long resolvedAt;
    Double value;
    Double threshold;
    int escalations;
    boolean emitted;
    long notifiedAt;

    void worst(double v, boolean higherIsWorse) {
      if (value == null || (higherIsWorse ? v > value : v < value)) {
        value = v;
      }
    }

    Alert toAlert() {
      return new Alert(
          alertId,
          tenantId,
          locationId,
          deviceId,
          rule,
          rule.severity(),
          status,
          Instant.ofEpochMilli(startedAt),
          Instant.ofEpochMilli(raisedAt),
          acknowledgedAt == null ? null : Instant.ofEpochMilli(acknowledgedAt),
          acknowledgedBy,
          resolvedAt == null ? null : Instant.ofEpochMilli(resolvedAt),
          value,
          threshold,
          escalations,
          message());
    }

    private String message() {
      String deg = "F".equals(unit) || "C".equals(unit) ? "°" + unit : " " + unit;
      long minutes = Duration.ofMillis(raisedAt - startedAt).toMinutes();
      switch (rule) {
        case TEMPERATURE_HIGH:
          return String.format(
              Locale.ROOT,
              "%s at %s%s, above %s%s for %d min",
              deviceName,
              fmt(value),
              deg,
              fmt(threshold),
              deg,
              minutes);
        case TEMPERATURE_LOW:
          return String.format(
              Locale.ROOT,
              "%s at %s%s, below %s%s for %d min",
              deviceName,
              fmt(value),
              deg,
              fmt(threshold),
              deg,
              minutes);
        case DOOR_OPEN:
          return deviceName + " open for " + minutes + " min";
        case EQUIPMENT_OFFLINE:
          return deviceName + " offline: no data for " + minutes + " min";
        default:
          return String.format(
              Locale.ROOT,
              "%s energy spike: %s%s, over %s%s",
              deviceName,
              fmt(value),
              deg,
              fmt(threshold),
              deg);
      }
    }

    private static String fmt(Double d) {
      if (d == null) {
        return "?";
      }
      return d == Math.rint(d)
          ? String.valueOf(d.longValue())
          : String.format(Locale.ROOT, "%.1f", d);
    }
  }
}
