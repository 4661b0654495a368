package dev.olympus.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static List<Long> delays(long seed, int n) {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(seed));
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.delay(i).toMillis());
    }
    return out;
  }

  @Test
  void delay_consecutiveFailures_growsWithinJitterBoundsUntilTheCap() {
    List<Long> d = delays(42, 12);
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(42));
    for (int i = 0; i < d.size(); i++) {
      long ceiling = b.ceilingMillis(i);
      assertThat(d.get(i)).isBetween(ceiling / 2, ceiling);
    }
    assertThat(b.ceilingMillis(0)).isEqualTo(100);
    assertThat(b.ceilingMillis(3)).isEqualTo(800);
    assertThat(b.ceilingMillis(11)).isEqualTo(10_000);
    assertThat(d.get(6)).isGreaterThan(d.get(0) * 10);
  }

  @Test
  void delay_differentSeeds_differentDelays_sameSeed_sameDelays() {
    assertThat(delays(1, 8)).isEqualTo(delays(1, 8));
    assertThat(delays(1, 8)).isNotEqualTo(delays(2, 8));
  }

  @Test
  void new_maxBelowBase_refusedWithTheFix() {
    assertThatThrownBy(
            () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
        .hasMessageContaining("0 < base <= max");
  }
}
