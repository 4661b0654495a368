package dev.olympus.edge.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delay_consecutiveFailures_growsExponentiallyWithinJitterAndStopsAtTheCap() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(3));
    for (int n = 1; n <= 12; n++) {
      long ceiling = Math.min(60_000, 1_000L << (n - 1));
      for (int i = 0; i < 50; i++) {
        long d = b.delay(n).toMillis();
        assertThat(d).as("failure %d", n).isBetween(ceiling / 2, ceiling);
      }
    }
  }

  @Test
  void delay_sameSeed_sameDelays() {
    Backoff a = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(9));
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(9));
    for (int n = 1; n < 10; n++) {
      assertThat(a.delay(n)).isEqualTo(b.delay(n));
    }
  }

  @Test
  void delay_manyFailures_isJitteredNotConstant() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(5));
    assertThat(java.util.stream.IntStream.range(0, 20).mapToObj(i -> b.delay(10)).distinct())
        .hasSizeGreaterThan(5);
  }
}
