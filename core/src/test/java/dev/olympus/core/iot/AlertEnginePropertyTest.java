package dev.olympus.core.iot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever the readings, one episode is one alert, and a restart anywhere changes nothing. */
class AlertEnginePropertyTest {

  @Property(tries = 200)
  void oneRaisedPerEpisode_neverBeforeTheMinimumDuration_andRestartsChangeNothing(
      @ForAll @Size(min = 1, max = 120) List<@DoubleRange(min = 28, max = 44) Double> readings,
      @ForAll @IntRange(min = 0, max = 119) int restartAt) {
    Instant t0 = AlertEngineTest.T0;
    AlertEngine straight = AlertEngineTest.engine();
    AlertEngine restarted = AlertEngineTest.engine();
    List<AlertEvent> a = new ArrayList<>();
    List<AlertEvent> b = new ArrayList<>();
    for (int i = 0; i < readings.size(); i++) {
      Instant at = t0.plusSeconds(60L * i);
      TelemetryEvent e = AlertEngineTest.temp(at, readings.get(i));
      a.addAll(straight.onEvent(e, at));
      if (i == restartAt) {
        AlertEngine fresh = AlertEngineTest.engine();
        fresh.restore(restarted.snapshot());
        restarted = fresh;
      }
      b.addAll(restarted.onEvent(e, at));
    }
    assertThat(b).isEqualTo(a);
    for (AlertRule rule : List.of(AlertRule.TEMPERATURE_HIGH, AlertRule.TEMPERATURE_LOW)) {
      boolean open = false;
      for (AlertEvent ev : a) {
        if (ev.alert().rule() != rule) {
          continue;
        }
        if (ev.kind() == AlertEvent.Kind.RAISED) {
          assertThat(open).as("a second RAISED without a RESOLVED between").isFalse();
          assertThat(ev.alert().raisedAt().toEpochMilli() - ev.alert().startedAt().toEpochMilli())
              .isGreaterThanOrEqualTo(AlertSettings.defaults().temperatureMinDuration().toMillis());
          open = true;
        } else if (ev.kind() == AlertEvent.Kind.RESOLVED) {
          assertThat(open).as("RESOLVED without RAISED").isTrue();
          open = false;
        }
      }
    }
  }
}
