package dev.olympus.core.iot.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.iot.TelemetryEvent;
import dev.olympus.core.iot.TelemetryPayloads;
import dev.olympus.core.iot.Topic;
import dev.olympus.core.iot.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void devicesBehaveAndPayloadsParse() throws Exception {
    Simulation sim = Simulation.restaurant("t1", "loc-1", 42);
    assertThat(sim.devices()).hasSizeGreaterThanOrEqualTo(8);
    List<TelemetryEvent> events = new ArrayList<>();
    for (Instant now = T0;
        now.isBefore(T0.plus(Duration.ofMinutes(60)));
        now = now.plusSeconds(1)) {
      for (SimulatedMessage m : sim.step(now)) {
        Topic topic = Topics.parse(m.topic());
        events.add(TelemetryPayloads.parse(topic, m.payload(), 0));
      }
    }
    double walkInMax =
        events.stream()
            .filter(e -> e.deviceId().equals("walkin-cooler-1"))
            .mapToDouble(TelemetryEvent::value)
            .max()
            .orElseThrow();
    assertThat(walkInMax).isLessThanOrEqualTo(38.5);
    assertThat(
            events.stream()
                .filter(
                    e ->
                        e.deviceId().equals("reachin-cooler-2")
                            && e.tsMillis() > T0.plus(Duration.ofMinutes(50)).toEpochMilli())
                .mapToDouble(TelemetryEvent::value)
                .min()
                .orElseThrow())
        .isGreaterThan(40.0);
    long lastOven =
        events.stream()
            .filter(e -> e.deviceId().equals("oven-1"))
            .mapToLong(TelemetryEvent::tsMillis)
            .max()
            .orElseThrow();
    assertThat(lastOven).isLessThan(T0.plus(Duration.ofMinutes(31)).toEpochMilli());
    assertThat(events)
        .anyMatch(e -> e.deviceId().equals("walkin-door-1") && Boolean.TRUE.equals(e.open()));
  }

  @Test
  void deterministicForASeed() {
    Simulation a = Simulation.restaurant("t1", "l1", 7);
    Simulation b = Simulation.restaurant("t1", "l1", 7);
    List<SimulatedMessage> x = a.step(T0.plusSeconds(600));
    x.addAll(a.step(T0.plusSeconds(600)));
    List<SimulatedMessage> y = b.step(T0.plusSeconds(600));
    assertThat(x).hasSameSizeAs(y);
    for (int i = 0; i < x.size(); i++) {
      assertThat(x.get(i).payload()).isEqualTo(y.get(i).payload());
    }
  }
}
