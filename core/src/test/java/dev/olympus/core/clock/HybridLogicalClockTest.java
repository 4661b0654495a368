package dev.olympus.core.clock;

import static dev.olympus.core.clock.HybridLogicalClock.encode;
import static dev.olympus.core.clock.HybridLogicalClock.logical;
import static dev.olympus.core.clock.HybridLogicalClock.physical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.core.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {
  private static final long T0 = 1_760_000_000_000L;
  private final MutableClock wall = new MutableClock(T0);
  private final HybridLogicalClock hlc = new HybridLogicalClock(wall, Duration.ofMinutes(5));

  @Test
  void now_wallClockAdvances_followsWallClockWithLogicalZero() {
    long first = hlc.now();
    wall.advance(10);
    long second = hlc.now();

    assertThat(physical(first)).isEqualTo(T0);
    assertThat(logical(first)).isZero();
    assertThat(physical(second)).isEqualTo(T0 + 10);
    assertThat(logical(second)).isZero();
  }

  @Test
  void now_sameMillisecond_incrementsLogicalCounter() {
    long a = hlc.now();
    long b = hlc.now();

    assertThat(physical(b)).isEqualTo(physical(a));
    assertThat(logical(b)).isEqualTo(logical(a) + 1);
  }

  @Test
  void now_wallClockStepsBack_staysMonotonic() {
    wall.advance(60_000);
    long before = hlc.now();
    wall.set(T0 - 3_600_000);

    long after = hlc.now();

    assertThat(after).isGreaterThan(before);
    assertThat(physical(after)).isEqualTo(T0 + 60_000);
    assertThat(hlc.peek()).isEqualTo(after);
  }

  @Test
  void now_65536TimestampsInOneMillisecond_carriesIntoPhysicalAndStaysMonotonic() {
    long previous = hlc.now();
    for (int i = 1; i <= 1 << HybridLogicalClock.LOGICAL_BITS; i++) {
      long next = hlc.now();
      assertThat(next).isGreaterThan(previous);
      previous = next;
    }

    // The 65,537th timestamp of millisecond T0 has used up the counter and moved one millisecond
    // on;
    // the physical part is never corrupted (no sign bit, no wrap back to a small value).
    assertThat(physical(previous)).isEqualTo(T0 + 1);
    assertThat(logical(previous)).isZero();
    wall.advance(1);
    long afterTick = hlc.now();
    assertThat(afterTick).isGreaterThan(previous);
    assertThat(physical(afterTick)).isEqualTo(T0 + 1);
    assertThat(logical(afterTick)).isEqualTo(1);
  }

  @Test
  void receive_remoteWithinSkew_isAbsorbedAndLaterNowIsAfterIt() {
    long remote = encode(T0 + Duration.ofMinutes(4).toMillis(), 7);

    HybridLogicalClock.Receipt receipt = hlc.receive(remote);
    long next = hlc.now();

    assertThat(receipt.skewed()).isFalse();
    assertThat(receipt.remote()).isEqualTo(remote);
    assertThat(hlc.peek()).isEqualTo(next);
    assertThat(next).isEqualTo(remote + 1);
  }

  @Test
  void receive_remoteBehindLocal_leavesClockAlone() {
    long local = hlc.now();

    HybridLogicalClock.Receipt receipt = hlc.receive(encode(T0 - 1_000, 3));

    assertThat(receipt.skewed()).isFalse();
    assertThat(hlc.peek()).isEqualTo(local);
  }

  @Test
  void receive_remoteExactlyAtMaxSkew_isAbsorbed() {
    long remote = encode(T0 + Duration.ofMinutes(5).toMillis(), 0);

    assertThat(hlc.receive(remote).skewed()).isFalse();
    assertThat(hlc.now()).isGreaterThan(remote);
  }

  @Test
  void receive_remoteBeyondMaxSkew_isReportedSkewedAndNotAbsorbed() {
    long local = hlc.now();
    long remote = encode(T0 + Duration.ofMinutes(5).toMillis() + 1, 0);

    HybridLogicalClock.Receipt receipt = hlc.receive(remote);

    assertThat(receipt.skewed()).isTrue();
    assertThat(hlc.peek()).isEqualTo(local);
    assertThat(hlc.now()).isLessThan(remote);
  }

  @Test
  void receive_negativeTimestamp_isSkewedNotAbsorbed() {
    assertThat(hlc.receive(-1L).skewed()).isTrue();
    assertThat(hlc.peek()).isZero();
  }

  @Test
  void encode_physicalAndLogical_roundTrip() {
    long ts = encode(T0, 65_535);

    assertThat(physical(ts)).isEqualTo(T0);
    assertThat(logical(ts)).isEqualTo(65_535);
    assertThat(encode(physical(ts), logical(ts))).isEqualTo(ts);
    assertThat(encode(T0 + 1, 0)).isGreaterThan(encode(T0, 65_535));
  }

  @Test
  void encode_logicalOutOfRange_throwsNamingValue() {
    assertThatThrownBy(() -> encode(T0, 65_536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536");
    assertThatThrownBy(() -> encode(T0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void encode_physicalOutOfRange_throwsNamingValue() {
    assertThatThrownBy(() -> encode(-5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
    assertThatThrownBy(() -> encode(1L << 47, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(1L << 47));
  }

  @Test
  void constructor_negativeSkew_throwsNamingValue() {
    assertThatThrownBy(() -> new HybridLogicalClock(wall, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }

  @Test
  void system_issuesTimestampsNearSystemTime() {
    long before = System.currentTimeMillis();
    long ts = HybridLogicalClock.system().now();

    assertThat(physical(ts)).isBetween(before, System.currentTimeMillis());
  }
}
