package dev.olympus.core.iot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The five food-safety rules of seed 000, one engine for the edge hub and the cloud gateway.
 *
 * <ul>
 *   <li><b>Temperature high / low</b> (temperature devices with a target range): the condition
 *       starts at the event time of the first reading out of range and raises once it has held for
 *       {@link AlertSettings#temperatureMinDuration()}; a reading back in range before that ends it
 *       quietly. A raised alert clears only when a reading is back inside the range by {@link
 *       AlertSettings#hysteresis()}, so readings bouncing around the threshold never flap.
 *   <li><b>Door open</b> longer than {@link AlertSettings#doorOpenLimit()} (door sensors publish on
 *       change, so {@link #tick} raises it while the door stays open).
 *   <li><b>Equipment offline</b>: nothing from a device (other than a door sensor, which is quiet
 *       while nothing happens) for {@link AlertSettings#offlineAfter()} of wall-clock time;
 *       resolved by its next message.
 *   <li><b>Energy spike</b>: a reading above {@link AlertSettings#energySpikeRatio()} times the
 *       baseline for that hour of the day (UTC), learnt from the device's own readings (a moving
 *       average per hour, after {@value #BASELINE_MIN_SAMPLES} samples); back under clears it.
 *   <li><b>Escalation</b>: an unacknowledged critical alert escalates every {@link
 *       AlertSettings#escalateAfter()}; acknowledging stops it.
 * </ul>
 *
 * <p>Rules run on event time, so a backlog replayed after an outage records what happened when it
 * happened: an episode that began and ended inside the backlog is {@link
 * AlertEvent.Kind#RECORDED_LATE} (for the compliance log, nobody is texted); one still going when
 * the readings catch up with the present is {@link AlertEvent.Kind#RAISED} with {@code
 * shouldNotify}. A reading is live when its event time is within {@link AlertSettings#liveWindow()}
 * of now. A reading older than the device's last one is stored by the hubs but does not move the
 * device's rules (its time has passed).
 *
 * <p>Not thread-safe: a hub calls it from its one ingest thread. {@link #snapshot()} and {@link
 * #restore} carry every timer, so a restart neither loses nor restarts one.
 */
public final class AlertEngine {
  static final int BASELINE_MIN_SAMPLES = 10;
  private static final double BASELINE_ALPHA = 0.1;

  /** Closed alerts kept for {@link #find} and for acknowledging a just-resolved alert. */
  private static final int CLOSED_KEPT = 1000;

  private final AlertSettings settings;
  private final Map<String, IotDevice> devices = new HashMap<>();
  private final Map<String, DeviceState> states = new HashMap<>();
  private final Map<String, Alert> alerts = new LinkedHashMap<>();

  /** Open alerts nobody was told of yet: raised from a replayed backlog, waiting to be live. */
  private final Map<String, Boolean> unannounced = new HashMap<>();

  /**
   * Set by {@link #restore}: the next tick restarts every offline clock at its own time, since the
   * sensors may well have been talking while this process was down.
   */
  private boolean restarted;

  public AlertEngine(AlertSettings settings) {
    this.settings = settings;
  }

  /** What the engine keeps per device between events. */
  private static final class DeviceState {
    long lastEventMillis = Long.MIN_VALUE;
    long lastSeenMillis; // wall clock of the last message, or of the first watch
    final Map<AlertRule, Condition> conditions = new LinkedHashMap<>();
    final Map<Integer, double[]> baselines = new HashMap<>(); // hour → {mean, samples}

    Condition condition(AlertRule rule) {
      return conditions.computeIfAbsent(rule, r -> new Condition());
    }
  }

  /** One rule on one device: holding since when, the worst value, and its alert once raised. */
  private static final class Condition {
    Long since;
    long lastMillis;
    double worst;
    double threshold;
    String alertId;

    boolean holding() {
      return since != null;
    }

    void reset() {
      since = null;
      alertId = null;
    }
  }

  private static String key(String tenantId, String deviceId) {
    return tenantId + "/" + deviceId;
  }

  /**
   * Replaces the set of known devices (their types and ranges). A device not seen before starts its
   * offline clock at the time of its first tick, so a restart does not flag everything at once.
   */
  public void watch(Collection<IotDevice> known) {
    devices.clear();
    for (IotDevice d : known) {
      devices.put(key(d.tenantId(), d.deviceId()), d);
    }
  }

  /** Evaluates one reading; {@code now} is the wall clock at ingest. */
  public List<AlertEvent> onEvent(TelemetryEvent event, Instant now) {
    String k = key(event.tenantId(), event.deviceId());
    IotDevice device = devices.get(k);
    if (device == null) {
      return List.of();
    }
    List<AlertEvent> out = new ArrayList<>();
    DeviceState state = states.computeIfAbsent(k, x -> new DeviceState());
    long at = event.tsMillis();
    state.lastSeenMillis = now.toEpochMilli();
    Condition offline = state.conditions.get(AlertRule.EQUIPMENT_OFFLINE);
    if (offline != null && offline.alertId != null) {
      resolve(out, offline, Math.max(at, offline.since), now, "back online");
    }
    if (offline != null) {
      offline.reset();
    }
    if (at < state.lastEventMillis) {
      return out;
    }
    state.lastEventMillis = at;
    switch (device.type()) {
      case TEMPERATURE -> temperature(out, device, state, event, at, now);
      case DOOR -> door(out, device, state, event, at, now);
      case ENERGY -> energy(out, device, state, event, at, now);
      default -> {}
    }
    return out;
  }

  private void temperature(
      List<AlertEvent> out, IotDevice d, DeviceState s, TelemetryEvent e, long at, Instant now) {
    if (e.value() == null) {
      return;
    }
    double v = e.value();
    if (d.targetMax() != null) {
      double max = d.targetMax();
      track(
          out,
          d,
          s.condition(AlertRule.TEMPERATURE_HIGH),
          AlertRule.TEMPERATURE_HIGH,
          v > max,
          v <= max - settings.hysteresis(),
          v,
          max,
          at,
          settings.temperatureMinDuration().toMillis(),
          now);
    }
    if (d.targetMin() != null) {
      double min = d.targetMin();
      track(
          out,
          d,
          s.condition(AlertRule.TEMPERATURE_LOW),
          AlertRule.TEMPERATURE_LOW,
          v < min,
          v >= min + settings.hysteresis(),
          v,
          min,
          at,
          settings.temperatureMinDuration().toMillis(),
          now);
    }
  }

  private void door(
      List<AlertEvent> out, IotDevice d, DeviceState s, TelemetryEvent e, long at, Instant now) {
    if (e.open() == null) {
      return;
    }
    boolean open = e.open();
    track(
        out,
        d,
        s.condition(AlertRule.DOOR_OPEN),
        AlertRule.DOOR_OPEN,
        open,
        !open,
        open ? 1 : 0,
        settings.doorOpenLimit().toMinutes(),
        at,
        settings.doorOpenLimit().toMillis(),
        now);
  }

  private void energy(
      List<AlertEvent> out, IotDevice d, DeviceState s, TelemetryEvent e, long at, Instant now) {
    if (e.value() == null) {
      return;
    }
    double v = e.value();
    int hour = Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC).getHour();
    double[] baseline = s.baselines.computeIfAbsent(hour, h -> new double[] {0, 0});
    boolean known = baseline[1] >= BASELINE_MIN_SAMPLES && baseline[0] > 0;
    double limit = baseline[0] * settings.energySpikeRatio();
    boolean spike = known && v > limit;
    Condition c = s.condition(AlertRule.ENERGY_SPIKE);
    track(out, d, c, AlertRule.ENERGY_SPIKE, spike, !spike, v, limit, at, 0, now);
    if (!spike) {
      // A spike is not what the hour usually looks like: only ordinary readings teach the baseline.
      baseline[0] = baseline[1] == 0 ? v : baseline[0] + BASELINE_ALPHA * (v - baseline[0]);
      baseline[1]++;
    }
  }

  /**
   * Moves one condition: starts it on a violating reading, raises it once it has held {@code
   * minMillis}, and ends it on a clearing reading (a pending one also ends on any reading that is
   * not a violation).
   */
  private void track(
      List<AlertEvent> out,
      IotDevice d,
      Condition c,
      AlertRule rule,
      boolean violated,
      boolean cleared,
      double value,
      double threshold,
      long at,
      long minMillis,
      Instant now) {
    if (violated) {
      if (!c.holding()) {
        c.since = at;
        c.worst = value;
      } else {
        c.worst = worse(rule, c.worst, value);
      }
      c.lastMillis = at;
      c.threshold = threshold;
      if (c.alertId == null) {
        if (at - c.since >= minMillis) {
          raise(out, d, c, rule, at, now);
        }
      } else {
        Alert a = alerts.get(c.alertId);
        if (a != null && !Double.valueOf(c.worst).equals(a.value())) {
          alerts.put(a.alertId(), withValue(a, c.worst));
        }
        announceIfLive(out, c, at, now);
      }
    } else if (c.alertId != null) {
      if (cleared) {
        resolve(out, c, at, now, null);
        c.reset();
      }
    } else if (c.holding()) {
      c.reset();
    }
  }

  private static double worse(AlertRule rule, double a, double b) {
    return rule == AlertRule.TEMPERATURE_LOW ? Math.min(a, b) : Math.max(a, b);
  }

  private boolean live(long at, Instant now) {
    return now.toEpochMilli() - at <= settings.liveWindow().toMillis();
  }

  private void raise(
      List<AlertEvent> out, IotDevice d, Condition c, AlertRule rule, long at, Instant now) {
    raise(out, d, c, rule, at, now, live(at, now));
  }

  /** {@code live}: the condition holds now, so someone must be told now. */
  private void raise(
      List<AlertEvent> out,
      IotDevice d,
      Condition c,
      AlertRule rule,
      long at,
      Instant now,
      boolean live) {
    Instant started = Instant.ofEpochMilli(c.since);
    Alert a =
        new Alert(
            IotIds.alertId(d.tenantId(), d.deviceId(), rule, started),
            d.tenantId(),
            d.locationId(),
            d.deviceId(),
            rule,
            rule.severity(),
            AlertStatus.ACTIVE,
            started,
            Instant.ofEpochMilli(at),
            null,
            null,
            null,
            c.worst,
            c.threshold,
            0,
            message(d, rule, c));
    c.alertId = a.alertId();
    put(a);
    if (live) {
      out.add(new AlertEvent(AlertEvent.Kind.RAISED, a, true));
    } else {
      unannounced.put(a.alertId(), Boolean.TRUE);
    }
  }

  /** A backlog's episode still going when the readings reach the present: tell someone now. */
  private void announceIfLive(List<AlertEvent> out, Condition c, long at, Instant now) {
    if (unannounced.containsKey(c.alertId) && live(at, now)) {
      unannounced.remove(c.alertId);
      out.add(new AlertEvent(AlertEvent.Kind.RAISED, alerts.get(c.alertId), true));
    }
  }

  private void resolve(List<AlertEvent> out, Condition c, long at, Instant now, String why) {
    Alert a = alerts.get(c.alertId);
    if (a == null || a.status() == AlertStatus.RESOLVED) {
      return;
    }
    Alert r = with(a, AlertStatus.RESOLVED, a.acknowledgedAt(), a.acknowledgedBy(), at(at));
    put(r);
    if (unannounced.remove(a.alertId()) != null) {
      out.add(new AlertEvent(AlertEvent.Kind.RECORDED_LATE, r, false));
    } else {
      out.add(new AlertEvent(AlertEvent.Kind.RESOLVED, r, false));
    }
  }

  private static Instant at(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  /**
   * What time alone decides: doors open past the limit and temperatures out of range past the
   * minimum duration with no new reading, devices gone quiet, and escalations.
   */
  public List<AlertEvent> tick(Instant now) {
    List<AlertEvent> out = new ArrayList<>();
    long nowMillis = now.toEpochMilli();
    if (restarted) {
      restarted = false;
      for (DeviceState s : states.values()) {
        s.lastSeenMillis = Math.max(s.lastSeenMillis, nowMillis);
      }
    }
    for (Map.Entry<String, IotDevice> e : devices.entrySet()) {
      IotDevice d = e.getValue();
      DeviceState s = states.get(e.getKey());
      if (s == null) {
        s = new DeviceState();
        s.lastSeenMillis = nowMillis;
        states.put(e.getKey(), s);
        continue;
      }
      for (Map.Entry<AlertRule, Condition> rc : s.conditions.entrySet()) {
        AlertRule rule = rc.getKey();
        Condition c = rc.getValue();
        if (!c.holding() || c.alertId != null) {
          continue;
        }
        long min =
            switch (rule) {
              case DOOR_OPEN -> settings.doorOpenLimit().toMillis();
              case TEMPERATURE_HIGH, TEMPERATURE_LOW ->
                  settings.temperatureMinDuration().toMillis();
              default -> -1;
            };
        // A temperature that was out of range when the sensor last spoke still is, unless the
        // sensor went quiet too long ago to say (then it is the offline rule's business).
        boolean stillHolds =
            rule == AlertRule.DOOR_OPEN
                || nowMillis - s.lastSeenMillis < settings.offlineAfter().toMillis();
        // A door that opened and sent nothing since is open now; a temperature is known to be out
        // of range now only if its last reading is recent.
        boolean holdsNow = rule == AlertRule.DOOR_OPEN || live(c.lastMillis, now);
        if (min >= 0 && stillHolds && holdsNow && nowMillis - c.since >= min) {
          raise(out, d, c, rule, Math.max(c.lastMillis, c.since + min), now, true);
        }
      }
      if (d.type() != DeviceType.DOOR
          && nowMillis - s.lastSeenMillis >= settings.offlineAfter().toMillis()) {
        Condition c = s.condition(AlertRule.EQUIPMENT_OFFLINE);
        if (c.alertId == null) {
          c.since = s.lastSeenMillis;
          c.lastMillis = nowMillis;
          c.worst = (nowMillis - s.lastSeenMillis) / 60_000.0;
          c.threshold = settings.offlineAfter().toMinutes();
          raise(out, d, c, AlertRule.EQUIPMENT_OFFLINE, nowMillis, now, true);
        }
      }
    }
    escalate(out, now);
    return out;
  }

  private void escalate(List<AlertEvent> out, Instant now) {
    long every = settings.escalateAfter().toMillis();
    if (every <= 0) {
      return;
    }
    for (Alert a : List.copyOf(alerts.values())) {
      if (a.status() != AlertStatus.ACTIVE
          || a.severity() != Severity.CRITICAL
          || unannounced.containsKey(a.alertId())) {
        continue;
      }
      long due = a.raisedAt().toEpochMilli() + every * (a.escalations() + 1L);
      if (now.toEpochMilli() >= due) {
        Alert escalated = withEscalations(a, a.escalations() + 1);
        put(escalated);
        out.add(new AlertEvent(AlertEvent.Kind.ESCALATED, escalated, true));
      }
    }
  }

  /** Someone has seen the alert: it stops escalating; it stays open until its condition clears. */
  public AlertEvent acknowledge(String alertId, String by, Instant now)
      throws UnknownAlertException {
    Alert a = alerts.get(alertId);
    if (a == null) {
      throw new UnknownAlertException();
    }
    if (a.status() != AlertStatus.ACTIVE) {
      return new AlertEvent(AlertEvent.Kind.ACKNOWLEDGED, a, false);
    }
    Alert r = with(a, AlertStatus.ACKNOWLEDGED, now, by, null);
    put(r);
    unannounced.remove(alertId);
    return new AlertEvent(AlertEvent.Kind.ACKNOWLEDGED, r, false);
  }

  /**
   * Someone closed the alert by hand. If its condition still holds, the episode is over for the
   * engine all the same: a new one starts with the next violating reading.
   */
  public AlertEvent resolve(String alertId, String by, Instant now) throws UnknownAlertException {
    Alert a = alerts.get(alertId);
    if (a == null) {
      throw new UnknownAlertException();
    }
    if (a.status() == AlertStatus.RESOLVED) {
      return new AlertEvent(AlertEvent.Kind.RESOLVED, a, false);
    }
    boolean firstAck = a.acknowledgedAt() == null;
    Alert r =
        with(
            a,
            AlertStatus.RESOLVED,
            firstAck ? now : a.acknowledgedAt(),
            firstAck ? by : a.acknowledgedBy(),
            now);
    put(r);
    unannounced.remove(alertId);
    for (DeviceState s : states.values()) {
      for (Condition c : s.conditions.values()) {
        if (alertId.equals(c.alertId)) {
          c.reset();
        }
      }
    }
    return new AlertEvent(AlertEvent.Kind.RESOLVED, r, false);
  }

  /** Active and acknowledged alerts, oldest first. */
  public List<Alert> openAlerts() {
    return alerts.values().stream().filter(a -> a.status() != AlertStatus.RESOLVED).toList();
  }

  /** An open or recently closed alert. */
  public Optional<Alert> find(String alertId) {
    return Optional.ofNullable(alerts.get(alertId));
  }

  private void put(Alert a) {
    alerts.remove(a.alertId());
    alerts.put(a.alertId(), a);
    if (alerts.size() > CLOSED_KEPT + 100) {
      var it = alerts.values().iterator();
      int excess = alerts.size() - CLOSED_KEPT;
      while (it.hasNext() && excess > 0) {
        if (it.next().status() == AlertStatus.RESOLVED) {
          it.remove();
          excess--;
        }
      }
    }
  }

  private static String message(IotDevice d, AlertRule rule, Condition c) {
    String unit =
        d.unit() == null ? "" : (d.unit().length() == 1 ? "°" + d.unit() : " " + d.unit());
    String name = d.name() == null ? d.deviceId() : d.name();
    return switch (rule) {
      case TEMPERATURE_HIGH ->
          String.format(
              Locale.ROOT,
              "%s at %s%s, above %s%s",
              name,
              num(c.worst),
              unit,
              num(c.threshold),
              unit);
      case TEMPERATURE_LOW ->
          String.format(
              Locale.ROOT,
              "%s at %s%s, below %s%s",
              name,
              num(c.worst),
              unit,
              num(c.threshold),
              unit);
      case DOOR_OPEN ->
          String.format(Locale.ROOT, "%s door open for more than %s min", name, num(c.threshold));
      case EQUIPMENT_OFFLINE ->
          String.format(Locale.ROOT, "%s sent nothing for %s min", name, num(c.threshold));
      case ENERGY_SPIKE ->
          String.format(
              Locale.ROOT,
              "%s at %s%s, over %s%s (150%% of this hour's baseline)",
              name,
              num(c.worst),
              unit,
              num(c.threshold),
              unit);
    };
  }

  private static String num(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  /** Everything the engine knows, as JSON text: timers, open alerts, baselines. */
  public AlertEngineState snapshot() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", 1L);
    Map<String, Object> ds = new LinkedHashMap<>();
    for (Map.Entry<String, DeviceState> e : states.entrySet()) {
      DeviceState s = e.getValue();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("last_event", s.lastEventMillis);
      m.put("last_seen", s.lastSeenMillis);
      Map<String, Object> conditions = new LinkedHashMap<>();
      for (Map.Entry<AlertRule, Condition> rc : s.conditions.entrySet()) {
        Condition c = rc.getValue();
        if (!c.holding() && c.alertId == null) {
          continue;
        }
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("since", c.since);
        cm.put("last", c.lastMillis);
        cm.put("worst", c.worst);
        cm.put("threshold", c.threshold);
        cm.put("alert_id", c.alertId);
        conditions.put(rc.getKey().name(), cm);
      }
      m.put("conditions", conditions);
      Map<String, Object> baselines = new LinkedHashMap<>();
      s.baselines.forEach((h, b) -> baselines.put(String.valueOf(h), List.of(b[0], b[1])));
      m.put("baselines", baselines);
      ds.put(e.getKey(), m);
    }
    root.put("devices", ds);
    List<Object> open = new ArrayList<>();
    for (Alert a : openAlerts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alert_id", a.alertId());
      m.put("tenant_id", a.tenantId());
      m.put("location_id", a.locationId());
      m.put("device_id", a.deviceId());
      m.put("rule", a.rule().name());
      m.put("status", a.status().name());
      m.put("started_at", a.startedAt().toEpochMilli());
      m.put("raised_at", a.raisedAt().toEpochMilli());
      m.put(
          "acknowledged_at", a.acknowledgedAt() == null ? null : a.acknowledgedAt().toEpochMilli());
      m.put("acknowledged_by", a.acknowledgedBy());
      m.put("value", a.value());
      m.put("threshold", a.threshold());
      m.put("escalations", (long) a.escalations());
      m.put("message", a.message());
      m.put("announced", !unannounced.containsKey(a.alertId()));
      open.add(m);
    }
    root.put("open_alerts", open);
    return new AlertEngineState(StateJson.write(root));
  }

  /** Takes up where {@link #snapshot()} left off: timers continue, open alerts stay open. */
  @SuppressWarnings("unchecked")
  public void restore(AlertEngineState state) {
    Map<String, Object> root = (Map<String, Object>) StateJson.read(state.json());
    states.clear();
    alerts.clear();
    unannounced.clear();
    restarted = true;
    Map<String, Object> ds = (Map<String, Object>) root.getOrDefault("devices", Map.of());
    for (Map.Entry<String, Object> e : ds.entrySet()) {
      Map<String, Object> m = (Map<String, Object>) e.getValue();
      DeviceState s = new DeviceState();
      s.lastEventMillis = asLong(m.get("last_event"));
      s.lastSeenMillis = asLong(m.get("last_seen"));
      Map<String, Object> conditions = (Map<String, Object>) m.get("conditions");
      for (Map.Entry<String, Object> rc : conditions.entrySet()) {
        Map<String, Object> cm = (Map<String, Object>) rc.getValue();
        Condition c = s.condition(AlertRule.valueOf(rc.getKey()));
        c.since = cm.get("since") == null ? null : asLong(cm.get("since"));
        c.lastMillis = asLong(cm.get("last"));
        c.worst = asDouble(cm.get("worst"));
        c.threshold = asDouble(cm.get("threshold"));
        c.alertId = (String) cm.get("alert_id");
      }
      Map<String, Object> baselines = (Map<String, Object>) m.get("baselines");
      for (Map.Entry<String, Object> b : baselines.entrySet()) {
        List<Object> pair = (List<Object>) b.getValue();
        s.baselines.put(
            Integer.parseInt(b.getKey()),
            new double[] {asDouble(pair.get(0)), asDouble(pair.get(1))});
      }
      states.put(e.getKey(), s);
    }
    for (Object o : (List<Object>) root.getOrDefault("open_alerts", List.of())) {
      Map<String, Object> m = (Map<String, Object>) o;
      AlertRule rule = AlertRule.valueOf((String) m.get("rule"));
      Object ackAt = m.get("acknowledged_at");
      Alert a =
          new Alert(
              (String) m.get("alert_id"),
              (String) m.get("tenant_id"),
              (String) m.get("location_id"),
              (String) m.get("device_id"),
              rule,
              rule.severity(),
              AlertStatus.valueOf((String) m.get("status")),
              at(asLong(m.get("started_at"))),
              at(asLong(m.get("raised_at"))),
              ackAt == null ? null : at(asLong(ackAt)),
              (String) m.get("acknowledged_by"),
              null,
              m.get("value") == null ? null : asDouble(m.get("value")),
              m.get("threshold") == null ? null : asDouble(m.get("threshold")),
              (int) asLong(m.get("escalations")),
              (String) m.get("message"));
      alerts.put(a.alertId(), a);
      if (Boolean.FALSE.equals(m.get("announced"))) {
        unannounced.put(a.alertId(), Boolean.TRUE);
      }
    }
  }

  private static long asLong(Object o) {
    return ((Number) o).longValue();
  }

  private static double asDouble(Object o) {
    return ((Number) o).doubleValue();
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

  private static Alert withValue(Alert a, double value) {
    return new Alert(
        a.alertId(),
        a.tenantId(),
        a.locationId(),
        a.deviceId(),
        a.rule(),
        a.severity(),
        a.status(),
        a.startedAt(),
        a.raisedAt(),
        a.acknowledgedAt(),
        a.acknowledgedBy(),
        a.resolvedAt(),
        value,
        a.threshold(),
        a.escalations(),
        a.message());
  }

  private static Alert withEscalations(Alert a, int escalations) {
    return new Alert(
        a.alertId(),
        a.tenantId(),
        a.locationId(),
        a.deviceId(),
        a.rule(),
        a.severity(),
        a.status(),
        a.startedAt(),
        a.raisedAt(),
        a.acknowledgedAt(),
        a.acknowledgedBy(),
        a.resolvedAt(),
        a.value(),
        a.threshold(),
        escalations,
        a.message());
  }

  AlertSettings settings() {
    return settings;
  }
}
