package dev.olympus.core.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.core.iot.AlertEvent.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertEngineTest {
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  static final IotDevice COOLER =
      new IotDevice(
          "t1", "l1", "cooler-1", DeviceType.TEMPERATURE, "Walk-In Cooler", 32.0, 38.0, "F");
  static final IotDevice DOOR =
      new IotDevice("t1", "l1", "door-1", DeviceType.DOOR, "Walk-In Door", null, null, null);
  static final IotDevice METER =
      new IotDevice("t1", "l1", "energy-1", DeviceType.ENERGY, "Main Meter", null, null, "kWh");
  static final IotDevice OVEN =
      new IotDevice("t1", "l1", "oven-1", DeviceType.OVEN, "Oven", null, null, null);

  static AlertEngine engine() {
    AlertEngine e = new AlertEngine(AlertSettings.defaults());
    e.watch(List.of(COOLER, DOOR, METER, OVEN), T0);
    return e;
  }

  /** An engine watching only the cooler, for tests whose ticks would find the others offline. */
  static AlertEngine coolerOnly() {
    AlertEngine e = new AlertEngine(AlertSettings.defaults());
    e.watch(List.of(COOLER), T0);
    return e;
  }

  static TelemetryEvent temp(Instant at, double v) {
    return new TelemetryEvent(
        "t1",
        "l1",
        "cooler-1",
        DeviceType.TEMPERATURE,
        at.toEpochMilli(),
        v,
        "F",
        null,
        null,
        null);
  }

  static TelemetryEvent door(Instant at, boolean open) {
    return new TelemetryEvent(
        "t1", "l1", "door-1", DeviceType.DOOR, at.toEpochMilli(), null, null, open, null, null);
  }

  static TelemetryEvent kwh(Instant at, double v) {
    return new TelemetryEvent(
        "t1", "l1", "energy-1", DeviceType.ENERGY, at.toEpochMilli(), v, "kWh", null, null, null);
  }

  static Instant min(double m) {
    return T0.plusMillis((long) (m * 60_000));
  }

  /** Feeds live readings every minute from..to (inclusive) at value v. */
  static List<AlertEvent> feed(AlertEngine e, double from, double to, double v) {
    List<AlertEvent> out = new ArrayList<>();
    for (double m = from; m <= to; m++) {
      out.addAll(e.onEvent(temp(min(m), v), min(m)));
    }
    return out;
  }

  @Test
  void temperatureHighFiresOnceAfterMinDurationAndResolvesWithHysteresis() {
    AlertEngine e = engine();
    List<AlertEvent> out = feed(e, 0, 9, 41.2);
    assertThat(out).isEmpty();
    out = feed(e, 10, 20, 42);
    assertThat(out).hasSize(1);
    AlertEvent raised = out.get(0);
    assertThat(raised.kind()).isEqualTo(Kind.RAISED);
    assertThat(raised.shouldNotify()).isTrue();
    Alert a = raised.alert();
    assertThat(a.rule()).isEqualTo(AlertRule.TEMPERATURE_HIGH);
    assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(a.startedAt()).isEqualTo(T0);
    assertThat(a.raisedAt()).isEqualTo(min(10));
    assertThat(a.threshold()).isEqualTo(38.0);
    assertThat(a.alertId())
        .isEqualTo(IotIds.alertId("t1", "cooler-1", AlertRule.TEMPERATURE_HIGH, T0));
    assertThat(a.message()).isEqualTo("Walk-In Cooler at 42°F, above 38°F for 10 min");
    // Back in range but within the hysteresis margin: still open.
    assertThat(feed(e, 21, 25, 37.5)).isEmpty();
    assertThat(e.openAlerts()).hasSize(1);
    out = feed(e, 26, 26, 36.5);
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RESOLVED);
    assertThat(out.get(0).shouldNotify()).isFalse();
    assertThat(out.get(0).alert().resolvedAt()).isEqualTo(min(26));
    assertThat(e.openAlerts()).isEmpty();
    assertThat(e.find(a.alertId()).orElseThrow().status()).isEqualTo(AlertStatus.RESOLVED);
  }

  @Test
  void bouncingAroundTheThresholdNeverFlaps() {
    AlertEngine e = engine();
    List<AlertEvent> out = new ArrayList<>();
    out.addAll(feed(e, 0, 12, 40));
    for (int m = 13; m < 60; m++) {
      out.addAll(e.onEvent(temp(min(m), m % 2 == 0 ? 38.2 : 37.6), min(m)));
    }
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RAISED);
  }

  @Test
  void shortExcursionFiresNothing() {
    AlertEngine e = coolerOnly();
    List<AlertEvent> out = feed(e, 0, 8, 41);
    out.addAll(feed(e, 9, 30, 35));
    out.addAll(e.tick(min(30)));
    assertThat(out).isEmpty();
  }

  @Test
  void temperatureLowAndTickFiresWithoutNewReadings() {
    AlertEngine e = engine();
    assertThat(e.onEvent(temp(T0, 30), T0)).isEmpty();
    assertThat(e.tick(min(9))).isEmpty();
    List<AlertEvent> out = e.tick(min(10));
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RAISED);
    assertThat(out.get(0).alert().rule()).isEqualTo(AlertRule.TEMPERATURE_LOW);
    assertThat(out.get(0).alert().message()).contains("below 32°F");
    assertThat(e.tick(min(11))).isEmpty();
  }

  @Test
  void restartInTheMiddleOfTheDurationKeepsTheTimer() {
    AlertEngine first = engine();
    assertThat(feed(first, 0, 5, 41)).isEmpty();
    AlertEngineState state = first.snapshot();
    AlertEngine second = new AlertEngine(AlertSettings.defaults());
    second.watch(List.of(COOLER, DOOR, METER, OVEN), min(6));
    second.restore(state);
    List<AlertEvent> out = feed(second, 6, 11, 41);
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RAISED);
    assertThat(out.get(0).alert().startedAt()).isEqualTo(T0);
    assertThat(out.get(0).alert().raisedAt()).isEqualTo(min(10));
  }

  @Test
  void openAlertsAndEscalationSurviveARestart() throws Exception {
    AlertEngine first = engine();
    Alert a = feed(first, 0, 10, 41).get(0).alert();
    AlertEngine second = new AlertEngine(AlertSettings.defaults());
    second.watch(List.of(COOLER), min(11));
    second.restore(first.snapshot());
    assertThat(second.openAlerts()).containsExactly(a);
    assertThat(feed(second, 11, 12, 41)).isEmpty();
    assertThat(second.tick(min(40)).stream().filter(x -> x.kind() == Kind.ESCALATED)).hasSize(1);
    assertThat(second.resolve(a.alertId(), "ana", min(41)).kind()).isEqualTo(Kind.RESOLVED);
  }

  @Test
  void replayedBacklogRecordsEndedEpisodesWithoutNotifying() {
    AlertEngine e = coolerOnly();
    Instant now = min(180);
    List<AlertEvent> out = new ArrayList<>();
    for (int m = 0; m < 60; m++) {
      double v = m >= 10 && m < 30 ? 41 : 35;
      out.addAll(e.onEvent(temp(min(m), v), now));
    }
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RECORDED_LATE);
    Alert a = out.get(0).alert();
    assertThat(out.get(0).shouldNotify()).isFalse();
    assertThat(a.startedAt()).isEqualTo(min(10));
    assertThat(a.raisedAt()).isEqualTo(min(20));
    assertThat(a.resolvedAt()).isEqualTo(min(30));
    assertThat(a.status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(e.tick(now)).isEmpty();
  }

  @Test
  void backlogEndingInViolationRaisesWithNotification() {
    AlertEngine e = coolerOnly();
    Instant now = min(60);
    List<AlertEvent> out = new ArrayList<>();
    for (int m = 0; m < 50; m++) {
      out.addAll(e.onEvent(temp(min(m), m >= 20 ? 41 : 35), now));
    }
    assertThat(out).isEmpty();
    // The backlog is quiet for the live window: the episode is live now.
    out = e.tick(min(63));
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RAISED);
    assertThat(out.get(0).shouldNotify()).isTrue();
    assertThat(out.get(0).alert().startedAt()).isEqualTo(min(20));
  }

  @Test
  void backlogReachingThePresentRaisesOnTheLiveReading() {
    AlertEngine e = engine();
    Instant now = min(60);
    List<AlertEvent> out = new ArrayList<>();
    for (int m = 30; m <= 60; m++) {
      out.addAll(e.onEvent(temp(min(m), 41), now));
    }
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RAISED);
    assertThat(out.get(0).shouldNotify()).isTrue();
  }

  @Test
  void olderEventsAreIgnoredForTheRules() {
    AlertEngine e = engine();
    feed(e, 0, 5, 35);
    assertThat(e.onEvent(temp(min(1), 80), min(6))).isEmpty();
    assertThat(feed(e, 6, 20, 35)).isEmpty();
  }

  @Test
  void doorOpenTooLong() {
    AlertEngine e = engine();
    assertThat(e.onEvent(door(T0, true), T0)).isEmpty();
    assertThat(e.onEvent(door(min(3), true), min(3))).isEmpty();
    assertThat(e.tick(min(4.9))).isEmpty();
    List<AlertEvent> out = e.tick(min(5));
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RAISED);
    assertThat(out.get(0).alert().severity()).isEqualTo(Severity.WARNING);
    assertThat(out.get(0).alert().rule()).isEqualTo(AlertRule.DOOR_OPEN);
    assertThat(e.onEvent(door(min(6), true), min(6))).isEmpty();
    assertThat(e.onEvent(door(min(7), false), min(7)))
        .extracting(AlertEvent::kind)
        .containsExactly(Kind.RESOLVED);
    // A warning never escalates.
    assertThat(e.tick(min(7))).noneMatch(x -> x.kind() == Kind.ESCALATED);
  }

  @Test
  void equipmentOfflineAfterSilenceAndBackOnNextEvent() {
    AlertEngine e = engine();
    TelemetryEvent status =
        new TelemetryEvent(
            "t1",
            "l1",
            "oven-1",
            DeviceType.OVEN,
            T0.toEpochMilli(),
            null,
            null,
            null,
            "running",
            null);
    e.onEvent(status, T0);
    e.onEvent(temp(min(10), 35), min(10));
    e.onEvent(door(min(10), false), min(10));
    e.onEvent(kwh(min(10), 1), min(10));
    assertThat(e.tick(min(14))).isEmpty();
    List<AlertEvent> out = e.tick(min(15));
    assertThat(out).extracting(a -> a.alert().deviceId()).containsExactly("oven-1");
    assertThat(out.get(0).alert().rule()).isEqualTo(AlertRule.EQUIPMENT_OFFLINE);
    assertThat(e.tick(min(16))).isEmpty();
    TelemetryEvent back =
        new TelemetryEvent(
            "t1",
            "l1",
            "oven-1",
            DeviceType.OVEN,
            min(17).toEpochMilli(),
            null,
            null,
            null,
            "running",
            null);
    assertThat(e.onEvent(back, min(17)))
        .extracting(AlertEvent::kind)
        .containsExactly(Kind.RESOLVED);
  }

  @Test
  void neverSeenDevicesStartTheirClockAtWatch() {
    AlertEngine e = new AlertEngine(AlertSettings.defaults());
    e.watch(List.of(OVEN), min(100));
    assertThat(e.tick(min(110))).isEmpty();
    assertThat(e.tick(min(115))).hasSize(1);
  }

  @Test
  void energySpikeOverTheHoursBaseline() {
    AlertEngine e = engine();
    List<AlertEvent> out = new ArrayList<>();
    for (int m = 0; m < 10; m++) {
      out.addAll(e.onEvent(kwh(min(m), 2.0), min(m)));
    }
    assertThat(out).isEmpty();
    out = e.onEvent(kwh(min(10), 3.5), min(10));
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RAISED);
    assertThat(out.get(0).alert().rule()).isEqualTo(AlertRule.ENERGY_SPIKE);
    assertThat(out.get(0).alert().threshold()).isEqualTo(3.0);
    assertThat(e.onEvent(kwh(min(11), 4.0), min(11))).isEmpty();
    assertThat(e.onEvent(kwh(min(12), 2.1), min(12)))
        .extracting(AlertEvent::kind)
        .containsExactly(Kind.RESOLVED);
  }

  @Test
  void energyNeedsABaselineBeforeFiring() {
    AlertEngine e = engine();
    e.onEvent(kwh(T0, 1), T0);
    assertThat(e.onEvent(kwh(min(1), 50), min(1))).isEmpty();
  }

  @Test
  void escalationUntilAcknowledged() throws Exception {
    AlertEngine e = engine();
    Alert a = feed(e, 0, 10, 41).get(0).alert();
    assertThat(e.tick(min(39))).noneMatch(x -> x.kind() == Kind.ESCALATED);
    List<AlertEvent> out = e.tick(min(40));
    assertThat(out).filteredOn(x -> x.kind() == Kind.ESCALATED).hasSize(1);
    assertThat(out.get(out.size() - 1).shouldNotify()).isTrue();
    assertThat(out.get(out.size() - 1).alert().escalations()).isEqualTo(1);
    assertThat(e.tick(min(41))).noneMatch(x -> x.kind() == Kind.ESCALATED);
    AlertEvent ack = e.acknowledge(a.alertId(), "ana", min(45));
    assertThat(ack.kind()).isEqualTo(Kind.ACKNOWLEDGED);
    assertThat(ack.alert().status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
    assertThat(ack.alert().acknowledgedBy()).isEqualTo("ana");
    assertThat(e.tick(min(200)))
        .noneMatch(x -> x.kind() == Kind.ESCALATED && x.alert().alertId().equals(a.alertId()));
  }

  @Test
  void resolveThroughTheApiAndUnknownIds() throws Exception {
    AlertEngine e = engine();
    Alert a = feed(e, 0, 10, 41).get(0).alert();
    AlertEvent r = e.resolve(a.alertId(), "ana", min(11));
    assertThat(r.kind()).isEqualTo(Kind.RESOLVED);
    assertThat(r.alert().resolvedAt()).isEqualTo(min(11));
    assertThat(e.openAlerts()).isEmpty();
    assertThat(e.resolve(a.alertId(), "bob", min(12)).alert().status())
        .isEqualTo(AlertStatus.RESOLVED);
    assertThatThrownBy(() -> e.acknowledge("nope", "x", min(1)))
        .isInstanceOf(UnknownAlertException.class);
    assertThatThrownBy(() -> e.resolve("nope", "x", min(1)))
        .isInstanceOf(UnknownAlertException.class);
    // Still too warm: a new episode after the minimum duration again.
    List<AlertEvent> out = feed(e, 12, 22, 41);
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RAISED);
    assertThat(out.get(0).alert().alertId()).isNotEqualTo(a.alertId());
  }

  @Test
  void unknownDevicesAndOtherTenantsAreIgnored() {
    AlertEngine e = engine();
    TelemetryEvent other =
        new TelemetryEvent(
            "t2",
            "l1",
            "cooler-1",
            DeviceType.TEMPERATURE,
            T0.toEpochMilli(),
            90.0,
            "F",
            null,
            null,
            null);
    for (int m = 0; m < 20; m++) {
      assertThat(e.onEvent(other, min(m))).isEmpty();
    }
  }

  @Test
  void restoreRefusesGarbage() {
    assertThatThrownBy(() -> engine().restore(new AlertEngineState("not json")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Duration.ofMinutes(10)).isEqualTo(AlertSettings.defaults().temperatureMinDuration());
  }
}
