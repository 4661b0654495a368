package dev.olympus.core.iot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.iot.AlertEvent.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AlertEngineProperties {

  @Property(tries = 200)
  void neverTwoRaisesWithoutAResolveBetween(
      @ForAll @Size(min = 1, max = 300) List<@DoubleRange(min = 25, max = 45) Double> readings,
      @ForAll @IntRange(min = 1, max = 5) int stepMinutes,
      @ForAll boolean replay) {
    AlertEngine e = AlertEngineTest.engine();
    Map<AlertRule, Boolean> open = new HashMap<>();
    int m = 0;
    long end = (long) readings.size() * stepMinutes;
    for (double v : readings) {
      var now = replay ? AlertEngineTest.min(end + 60) : AlertEngineTest.min(m);
      for (AlertEvent ev : e.onEvent(AlertEngineTest.temp(AlertEngineTest.min(m), v), now)) {
        check(open, ev);
      }
      if (!replay) {
        for (AlertEvent ev : e.tick(AlertEngineTest.min(m + 0.5))) {
          if (ev.alert().deviceId().equals("cooler-1")) {
            check(open, ev);
          }
        }
      }
      m += stepMinutes;
    }
  }

  private static void check(Map<AlertRule, Boolean> open, AlertEvent ev) {
    AlertRule rule = ev.alert().rule();
    if (ev.kind() == Kind.RAISED) {
      assertThat(open.getOrDefault(rule, false)).as("second RAISED without RESOLVED").isFalse();
      open.put(rule, true);
    } else if (ev.kind() == Kind.RESOLVED) {
      assertThat(open.getOrDefault(rule, false)).as("RESOLVED without RAISED").isTrue();
      open.put(rule, false);
    } else if (ev.kind() == Kind.RECORDED_LATE) {
      assertThat(open.getOrDefault(rule, false)).isFalse();
    }
  }
}
