package dev.olympus.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.edge.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PinThrottleTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T08:00:00Z"));
  final PinThrottle throttle = PinThrottle.standard(clock);

  @Test
  void tryAcquire_sixthAttemptWithinAMinute_waitsUntilTheFirstLeavesTheWindow() {
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.tryAcquire("emp-1")).isEmpty();
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(throttle.tryAcquire("emp-1")).contains(Duration.ofSeconds(55));
    assertThat(throttle.tryAcquire("emp-2")).as("other employees are not affected").isEmpty();

    clock.advance(Duration.ofSeconds(55));
    assertThat(throttle.tryAcquire("emp-1")).isEmpty();
  }

  @Test
  void onSuccess_clearsTheCount() {
    for (int i = 0; i < 4; i++) {
      throttle.tryAcquire("emp-1");
    }
    throttle.onSuccess("emp-1");

    for (int i = 0; i < 5; i++) {
      assertThat(throttle.tryAcquire("emp-1")).isEmpty();
    }
    assertThat(throttle.tryAcquire("emp-1")).isPresent();
  }
}
