package dev.olympus.core.iot;

import static dev.olympus.core.iot.AlertEngineTest.T0;
import static dev.olympus.core.iot.AlertEngineTest.door;
import static dev.olympus.core.iot.AlertEngineTest.kwh;
import static dev.olympus.core.iot.AlertEngineTest.min;
import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.iot.AlertEvent.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Door timers, energy baselines and acknowledgements survive a snapshot and restore. */
class AlertEngineRestartTest {

  static AlertEngine restarted(AlertEngine before, java.time.Instant at) {
    AlertEngine after = new AlertEngine(AlertSettings.defaults());
    after.watch(List.of(AlertEngineTest.COOLER, AlertEngineTest.DOOR, AlertEngineTest.METER), at);
    after.restore(before.snapshot());
    return after;
  }

  @Test
  void aWatchedDeviceTheSnapshotDoesNotKnow_isNotOfflineSinceTheEpoch() {
    AlertEngine empty = new AlertEngine(AlertSettings.defaults());
    AlertEngine after = new AlertEngine(AlertSettings.defaults());
    java.time.Instant now = java.time.Instant.now();
    after.watch(List.of(AlertEngineTest.COOLER, AlertEngineTest.DOOR), now);
    after.restore(empty.snapshot());
    assertThat(after.tick(now.plusSeconds(60))).isEmpty();
  }

  @Test
  void doorTimerContinuesAcrossARestart() {
    AlertEngine e = AlertEngineTest.engine();
    e.onEvent(door(T0, true), T0);
    AlertEngine after = restarted(e, min(3));
    List<AlertEvent> out = after.onEvent(door(min(5), true), min(5));
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RAISED);
    assertThat(out.get(0).alert().startedAt()).isEqualTo(T0);
  }

  @Test
  void energyBaselineIsKept() {
    AlertEngine e = AlertEngineTest.engine();
    for (int m = 0; m < 10; m++) {
      e.onEvent(kwh(min(m), 2.0), min(m));
    }
    AlertEngine after = restarted(e, min(10));
    assertThat(after.onEvent(kwh(min(11), 3.5), min(11)))
        .extracting(AlertEvent::kind)
        .containsExactly(Kind.RAISED);
  }

  @Test
  void acknowledgementIsKept() throws Exception {
    AlertEngine e = AlertEngineTest.engine();
    e.onEvent(door(T0, true), T0);
    Alert a = e.onEvent(door(min(6), true), min(6)).get(0).alert();
    e.acknowledge(a.alertId(), "ana", min(7));
    AlertEngine after = restarted(e, min(8));
    Alert back = after.find(a.alertId()).orElseThrow();
    assertThat(back.status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
    assertThat(back.acknowledgedBy()).isEqualTo("ana");
    assertThat(back.acknowledgedAt()).isEqualTo(min(7));
  }

  @Test
  void doorEpisodeInABacklogIsRecordedLate() {
    AlertEngine e = AlertEngineTest.engine();
    java.time.Instant now = min(120);
    e.onEvent(door(min(0), true), now);
    e.onEvent(door(min(7), true), now);
    List<AlertEvent> out = e.onEvent(door(min(8), false), now);
    assertThat(out).extracting(AlertEvent::kind).containsExactly(Kind.RECORDED_LATE);
    assertThat(out.get(0).shouldNotify()).isFalse();
    assertThat(out.get(0).alert().resolvedAt()).isEqualTo(min(8));
  }
}
