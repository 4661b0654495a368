package dev.olympus.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PinThrottleTest {
  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-11-22T08:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final MovableClock clock = new MovableClock();
  final PinThrottle throttle = PinThrottle.standard(clock);

  @Test
  void tryAcquire_sixthAttemptWithinAMinute_waitsUntilTheFirstLeavesTheWindow() {
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.tryAcquire("emp-1")).isEmpty();
      clock.now = clock.now.plusSeconds(1);
    }

    assertThat(throttle.tryAcquire("emp-1")).contains(Duration.ofSeconds(55));
    assertThat(throttle.tryAcquire("emp-2")).as("other employees are not affected").isEmpty();

    clock.now = clock.now.plusSeconds(55);
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
