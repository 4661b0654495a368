package dev.olympus.core.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertEngineTest {
  static final Instant T0 = Instant.parse("2026-12-01T14:00:00Z");
  static final IotDevice COOLER =
      new IotDevice(
          "t1", "loc-1", "cooler-1", DeviceType.TEMPERATURE, "Walk-In Cooler", 32.0, 38.0, "F");
  static final IotDevice DOOR =
      new IotDevice("t1", "loc-1", "door-1", DeviceType.DOOR, "Walk-In Door", null, null, null);
  static final IotDevice OVEN =
      new IotDevice("t1", "loc-1", "oven-1", DeviceType.OVEN, "Oven 1", null, null, null);
  static final IotDevice METER =
      new IotDevice(
          "t1", "loc-1", "energy-1", DeviceType.ENERGY, "Kitchen Meter", null, null, "kW");

  static AlertEngine engine() {
    AlertEngine e = new AlertEngine(AlertSettings.defaults());
    e.watch(List.of(COOLER, DOOR, OVEN, METER));
    return e;
  }

  static TelemetryEvent temp(Instant at, double value) {
    return new TelemetryEvent(
        "t1",
        "loc-1",
        "cooler-1",
        DeviceType.TEMPERATURE,
        at.toEpochMilli(),
        value,
        "F",
        null,
        null,
        null);
  }

  static TelemetryEvent door(Instant at, boolean open) {
    return new TelemetryEvent(
        "t1", "loc-1", "door-1", DeviceType.DOOR, at.toEpochMilli(), null, null, open, null, null);
  }

  static TelemetryEvent oven(Instant at) {
    return new TelemetryEvent(
        "t1",
        "loc-1",
        "oven-1",
        DeviceType.OVEN,
        at.toEpochMilli(),
        null,
        null,
        null,
        "running",
        null);
  }

  static TelemetryEvent energy(Instant at, double kw) {
    return new TelemetryEvent(
        "t1",
        "loc-1",
        "energy-1",
        DeviceType.ENERGY,
        at.toEpochMilli(),
        kw,
        "kW",
        null,
        null,
        null);
  }

  /** Feeds one reading a minute (live: now = event time) and collects what the engine says. */
  static List<AlertEvent> feed(AlertEngine e, Instant from, double... values) {
    List<AlertEvent> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      Instant at = from.plus(Duration.ofMinutes(i));
      out.addAll(e.onEvent(temp(at, values[i]), at));
    }
    return out;
  }

  static List<AlertEvent.Kind> kinds(List<AlertEvent> events) {
    return events.stream().map(AlertEvent::kind).toList();
  }

  @Test
  void temperatureHigh_raisesOnceAfterTheMinimumDuration_andResolvesBackInRange() {
    AlertEngine e = engine();
    // 9 minutes out of range: not yet.
    assertThat(feed(e, T0, 40, 40, 41, 40, 40, 40, 40, 40, 40, 40)).isEmpty();
    List<AlertEvent> raised = feed(e, T0.plusSeconds(600), 42, 41, 40);
    assertThat(kinds(raised)).containsExactly(AlertEvent.Kind.RAISED);
    Alert a = raised.get(0).alert();
    assertThat(raised.get(0).shouldNotify()).isTrue();
    assertThat(a.rule()).isEqualTo(AlertRule.TEMPERATURE_HIGH);
    assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(a.startedAt()).isEqualTo(T0);
    assertThat(a.raisedAt()).isEqualTo(T0.plusSeconds(600));
    assertThat(a.alertId())
        .isEqualTo(IotIds.alertId("t1", "cooler-1", AlertRule.TEMPERATURE_HIGH, T0));
    assertThat(a.message()).contains("Walk-In Cooler").contains("above 38°F");
    List<AlertEvent> back = feed(e, T0.plusSeconds(780), 36);
    assertThat(kinds(back)).containsExactly(AlertEvent.Kind.RESOLVED);
    assertThat(back.get(0).alert().value()).isEqualTo(42.0);
    assertThat(back.get(0).alert().resolvedAt()).isEqualTo(T0.plusSeconds(780));
    assertThat(e.openAlerts()).isEmpty();
  }

  @Test
  void aShortExcursion_raisesNothing_andTheTimerStartsAgain() {
    AlertEngine e = engine();
    assertThat(feed(e, T0, 40, 40, 40, 40, 40, 37, 40, 40, 40, 40, 40, 40, 40, 40)).isEmpty();
    // The second excursion began at minute 6; minute 16 is its tenth.
    assertThat(kinds(feed(e, T0.plusSeconds(14 * 60), 40, 40, 40)))
        .containsExactly(AlertEvent.Kind.RAISED);
  }

  @Test
  void readingsBouncingAroundTheThreshold_neverFlap() {
    AlertEngine e = engine();
    feed(e, T0, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40);
    assertThat(e.openAlerts()).hasSize(1);
    // 37.5 is in range but within the 1 °F hysteresis: the alert stays; 38.5 does not raise again.
    List<AlertEvent> bounce = feed(e, T0.plusSeconds(660), 37.5, 38.5, 37.2, 38.4, 37.5, 39);
    assertThat(bounce).isEmpty();
    assertThat(kinds(feed(e, T0.plusSeconds(1020), 36.9)))
        .containsExactly(AlertEvent.Kind.RESOLVED);
  }

  @Test
  void temperatureLow_isItsOwnRule() {
    AlertEngine e = engine();
    List<AlertEvent> out = feed(e, T0, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 29);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).alert().rule()).isEqualTo(AlertRule.TEMPERATURE_LOW);
    assertThat(out.get(0).alert().value()).isEqualTo(29.0);
    assertThat(out.get(0).alert().message()).contains("below 32°F");
  }

  @Test
  void aRestartInTheMiddleOfTheDuration_neitherLosesNorRestartsTheTimer() {
    AlertEngine before = engine();
    assertThat(feed(before, T0, 40, 40, 40, 40, 40, 40)).isEmpty(); // minutes 0–5
    AlertEngineState saved = before.snapshot();

    AlertEngine after = engine();
    after.restore(saved);
    List<AlertEvent> out = feed(after, T0.plusSeconds(6 * 60), 40, 40, 40, 40, 40); // minutes 6–10
    assertThat(kinds(out)).containsExactly(AlertEvent.Kind.RAISED);
    assertThat(out.get(0).alert().startedAt()).isEqualTo(T0);
    assertThat(out.get(0).alert().raisedAt()).isEqualTo(T0.plusSeconds(600));

    // And an open alert survives a restart too: no second RAISED, resolved later.
    AlertEngine third = engine();
    third.restore(after.snapshot());
    assertThat(third.openAlerts()).hasSize(1);
    assertThat(feed(third, T0.plusSeconds(660), 41, 41)).isEmpty();
    assertThat(kinds(feed(third, T0.plusSeconds(780), 35)))
        .containsExactly(AlertEvent.Kind.RESOLVED);
  }

  @Test
  void aReplayedBacklog_recordsAnEndedEpisodeLate_andNotifiesOnlyAnOngoingOne() {
    AlertEngine e = engine();
    Instant now = T0.plus(Duration.ofHours(3));
    List<AlertEvent> out = new ArrayList<>();
    // An hour ago: 15 minutes too warm, then fine again. Replayed now.
    for (int i = 0; i < 15; i++) {
      out.addAll(e.onEvent(temp(T0.plus(Duration.ofMinutes(i)), 41), now));
    }
    out.addAll(e.onEvent(temp(T0.plus(Duration.ofMinutes(15)), 35), now));
    assertThat(kinds(out)).containsExactly(AlertEvent.Kind.RECORDED_LATE);
    AlertEvent late = out.get(0);
    assertThat(late.shouldNotify()).isFalse();
    assertThat(late.alert().status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(late.alert().startedAt()).isEqualTo(T0);
    assertThat(late.alert().raisedAt()).isEqualTo(T0.plusSeconds(600));
    assertThat(late.alert().resolvedAt()).isEqualTo(T0.plusSeconds(900));

    // A second episode that is still going when the backlog reaches the present: told once, now.
    Instant start = now.minus(Duration.ofMinutes(20));
    List<AlertEvent> ongoing = new ArrayList<>();
    for (int i = 0; i <= 20; i++) {
      ongoing.addAll(e.onEvent(temp(start.plus(Duration.ofMinutes(i)), 42), now));
    }
    assertThat(kinds(ongoing)).containsExactly(AlertEvent.Kind.RAISED);
    assertThat(ongoing.get(0).shouldNotify()).isTrue();
    assertThat(ongoing.get(0).alert().raisedAt()).isEqualTo(start.plusSeconds(600));
  }

  @Test
  void anOlderReading_doesNotMoveTheRules() {
    AlertEngine e = engine();
    feed(e, T0, 40, 40, 40);
    assertThat(e.onEvent(temp(T0.minusSeconds(3600), 50), T0.plusSeconds(200))).isEmpty();
    assertThat(kinds(feed(e, T0.plusSeconds(180), 40, 40, 40, 40, 40, 40, 40, 40)))
        .containsExactly(AlertEvent.Kind.RAISED);
  }

  @Test
  void doorOpenLongerThanFiveMinutes_raisedByTheClock_clearedWhenClosed() {
    AlertEngine e = engine();
    e.tick(T0);
    assertThat(e.onEvent(door(T0, true), T0)).isEmpty();
    assertThat(e.tick(T0.plusSeconds(299))).isEmpty();
    List<AlertEvent> raised = e.tick(T0.plusSeconds(300));
    assertThat(kinds(raised)).containsExactly(AlertEvent.Kind.RAISED);
    assertThat(raised.get(0).alert().rule()).isEqualTo(AlertRule.DOOR_OPEN);
    assertThat(raised.get(0).alert().severity()).isEqualTo(Severity.WARNING);
    assertThat(
            e.tick(T0.plusSeconds(400)).stream()
                .filter(x -> x.alert().rule() == AlertRule.DOOR_OPEN))
        .isEmpty();
    assertThat(kinds(e.onEvent(door(T0.plusSeconds(420), false), T0.plusSeconds(420))))
        .containsExactly(AlertEvent.Kind.RESOLVED);
    // Opened and closed within the limit: nothing.
    e.onEvent(door(T0.plusSeconds(500), true), T0.plusSeconds(500));
    e.onEvent(door(T0.plusSeconds(560), false), T0.plusSeconds(560));
    assertThat(
            e.tick(T0.plusSeconds(900)).stream()
                .filter(x -> x.alert().rule() == AlertRule.DOOR_OPEN))
        .isEmpty();
  }

  @Test
  void equipmentQuietForFifteenMinutes_isOffline_untilItSpeaksAgain() {
    AlertEngine e = engine();
    e.tick(T0); // the clock starts when the device is first watched
    e.onEvent(oven(T0.plusSeconds(60)), T0.plusSeconds(60));
    assertThat(offline(e.tick(T0.plusSeconds(60 + 899)))).isEmpty();
    List<AlertEvent> out = offline(e.tick(T0.plusSeconds(60 + 900)));
    assertThat(kinds(out)).containsExactly(AlertEvent.Kind.RAISED);
    assertThat(out.get(0).alert().startedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(offline(e.tick(T0.plusSeconds(2000)))).isEmpty();
    List<AlertEvent> back = e.onEvent(oven(T0.plusSeconds(2100)), T0.plusSeconds(2100));
    assertThat(kinds(back)).containsExactly(AlertEvent.Kind.RESOLVED);
    // A door sensor is quiet while nothing happens: never offline.
    assertThat(e.tick(T0.plus(Duration.ofHours(5))).stream().map(x -> x.alert().deviceId()))
        .doesNotContain("door-1");
  }

  @Test
  void aRestart_startsTheOfflineClocksAfresh() {
    AlertEngine e = engine();
    e.tick(T0);
    e.onEvent(oven(T0), T0);
    AlertEngineState saved = e.snapshot();
    AlertEngine after = engine();
    after.restore(saved);
    // Down for an hour: the oven may have been talking to nobody; not offline at once.
    assertThat(offline(after.tick(T0.plus(Duration.ofHours(1))))).isEmpty();
    assertThat(offline(after.tick(T0.plus(Duration.ofMinutes(75))))).hasSize(1);
  }

  static List<AlertEvent> offline(List<AlertEvent> events) {
    return events.stream()
        .filter(
            x ->
                x.alert().rule() == AlertRule.EQUIPMENT_OFFLINE
                    && x.alert().deviceId().equals("oven-1"))
        .toList();
  }

  @Test
  void energyOver150PercentOfTheHoursBaseline_isASpike() {
    AlertEngine e = engine();
    List<AlertEvent> out = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Instant at = T0.plusSeconds(i * 60L);
      out.addAll(e.onEvent(energy(at, 20 + (i % 3)), at));
    }
    assertThat(out).isEmpty();
    Instant spikeAt = T0.plusSeconds(1260);
    List<AlertEvent> spike = e.onEvent(energy(spikeAt, 40), spikeAt);
    assertThat(kinds(spike)).containsExactly(AlertEvent.Kind.RAISED);
    assertThat(spike.get(0).alert().rule()).isEqualTo(AlertRule.ENERGY_SPIKE);
    assertThat(spike.get(0).alert().severity()).isEqualTo(Severity.WARNING);
    assertThat(spike.get(0).alert().threshold()).isBetween(29.0, 33.0);
    assertThat(e.onEvent(energy(spikeAt.plusSeconds(30), 45), spikeAt.plusSeconds(30))).isEmpty();
    assertThat(kinds(e.onEvent(energy(spikeAt.plusSeconds(60), 21), spikeAt.plusSeconds(60))))
        .containsExactly(AlertEvent.Kind.RESOLVED);
  }

  @Test
  void energy_withoutABaselineYet_raisesNothing() {
    AlertEngine e = engine();
    assertThat(e.onEvent(energy(T0, 20), T0)).isEmpty();
    assertThat(e.onEvent(energy(T0.plusSeconds(60), 200), T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void anUnacknowledgedCriticalAlert_escalatesEveryThirtyMinutes_untilAcknowledged()
      throws Exception {
    AlertEngine e = engine();
    List<AlertEvent> raised = feed(e, T0, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40);
    Alert a = raised.get(0).alert();
    Instant raisedAt = a.raisedAt();
    assertThat(escalations(e.tick(raisedAt.plus(Duration.ofMinutes(29))))).isEmpty();
    List<AlertEvent> first = escalations(e.tick(raisedAt.plus(Duration.ofMinutes(30))));
    assertThat(first).hasSize(1);
    assertThat(first.get(0).shouldNotify()).isTrue();
    assertThat(first.get(0).alert().escalations()).isEqualTo(1);
    assertThat(escalations(e.tick(raisedAt.plus(Duration.ofMinutes(31))))).isEmpty();

    AlertEvent ack = e.acknowledge(a.alertId(), "Maria", raisedAt.plus(Duration.ofMinutes(40)));
    assertThat(ack.alert().status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
    assertThat(ack.alert().acknowledgedBy()).isEqualTo("Maria");
    assertThat(escalations(e.tick(raisedAt.plus(Duration.ofMinutes(90))))).isEmpty();
    assertThat(e.openAlerts()).extracting(Alert::alertId).contains(a.alertId());
  }

  static List<AlertEvent> escalations(List<AlertEvent> events) {
    return events.stream()
        .filter(x -> x.kind() == AlertEvent.Kind.ESCALATED)
        .filter(x -> x.alert().rule() == AlertRule.TEMPERATURE_HIGH)
        .toList();
  }

  @Test
  void resolvingByHand_closesTheEpisode_andANewOneNeedsItsOwnDuration() throws Exception {
    AlertEngine e = engine();
    Alert a = feed(e, T0, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40).get(0).alert();
    AlertEvent r = e.resolve(a.alertId(), "Maria", T0.plusSeconds(700));
    assertThat(r.alert().status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(e.openAlerts()).isEmpty();
    assertThat(feed(e, T0.plusSeconds(720), 40, 40, 40)).isEmpty();
    assertThatThrownBy(() -> e.acknowledge("no-such", "x", T0))
        .isInstanceOf(UnknownAlertException.class);
    assertThat(e.find(a.alertId())).isPresent();
  }

  @Test
  void anUnknownDevice_isIgnored() {
    AlertEngine e = engine();
    TelemetryEvent stranger =
        new TelemetryEvent(
            "t2",
            "loc-9",
            "cooler-1",
            DeviceType.TEMPERATURE,
            T0.toEpochMilli(),
            99.0,
            "F",
            null,
            null,
            null);
    for (int i = 0; i < 20; i++) {
      assertThat(e.onEvent(stranger, T0)).isEmpty();
    }
  }
}
