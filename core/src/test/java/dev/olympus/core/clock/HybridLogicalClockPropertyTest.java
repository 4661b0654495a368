package dev.olympus.core.clock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The clock is monotonic for any interleaving of now() and receive() under a wandering wall clock.
 */
class HybridLogicalClockPropertyTest {
  private static final long T0 = 1_760_000_000_000L;
  private static final long MAX_SKEW = Duration.ofMinutes(5).toMillis();

  sealed interface Step {}

  record Now() implements Step {}

  /** A remote timestamp {@code offsetMillis} from this node's wall clock. */
  record Receive(long offsetMillis, int logical) implements Step {}

  record Wall(long deltaMillis) implements Step {}

  @Property(tries = 1000)
  void nowAndReceive_anyInterleaving_timestampsOnlyIncrease(@ForAll("steps") List<Step> steps) {
    MutableClock wall = new MutableClock(T0);
    HybridLogicalClock clock = new HybridLogicalClock(wall, Duration.ofMillis(MAX_SKEW));
    long lastIssued = 0;
    long highestAbsorbed = 0;

    for (Step step : steps) {
      long peekBefore = clock.peek();
      if (step instanceof Now) {
        long ts = clock.now();
        assertThat(ts).as("later than every timestamp issued").isGreaterThan(lastIssued);
        assertThat(ts).as("later than every timestamp absorbed").isGreaterThan(highestAbsorbed);
        assertThat(HybridLogicalClock.physical(ts))
            .as("never behind the wall clock")
            .isGreaterThanOrEqualTo(wall.millis());
        assertThat(clock.peek()).isEqualTo(ts);
        lastIssued = ts;
      } else if (step instanceof Receive r) {
        long remote = HybridLogicalClock.encode(wall.millis() + r.offsetMillis(), r.logical());
        HybridLogicalClock.Receipt receipt = clock.receive(remote);
        assertThat(receipt.skewed()).isEqualTo(r.offsetMillis() > MAX_SKEW);
        if (receipt.skewed()) {
          assertThat(clock.peek()).as("a skewed timestamp is not absorbed").isEqualTo(peekBefore);
        } else {
          highestAbsorbed = Math.max(highestAbsorbed, remote);
          assertThat(clock.peek()).isEqualTo(Math.max(peekBefore, remote));
        }
      } else if (step instanceof Wall w) {
        wall.advance(w.deltaMillis());
      }
      assertThat(clock.peek()).as("peek never goes back").isGreaterThanOrEqualTo(peekBefore);
    }
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> now = Arbitraries.just(new Now());
    Arbitrary<Step> receive =
        Combinators.combine(
                Arbitraries.frequencyOf(
                    Tuple.of(5, Arbitraries.longs().between(-5, 5)),
                    Tuple.of(3, Arbitraries.longs().between(-MAX_SKEW * 2, MAX_SKEW * 2)),
                    Tuple.of(1, Arbitraries.of(MAX_SKEW, MAX_SKEW + 1))),
                Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.integers().between(0, 3)),
                    Tuple.of(1, Arbitraries.integers().between(65_530, 65_535))))
            .as(Receive::new);
    Arbitrary<Step> wall =
        Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 2)),
                Tuple.of(2, Arbitraries.longs().between(-10_000, -1)),
                Tuple.of(1, Arbitraries.longs().between(1, 1_000_000)))
            .map(Wall::new);
    return Arbitraries.frequencyOf(Tuple.of(6, now), Tuple.of(3, receive), Tuple.of(2, wall))
        .list()
        .ofMinSize(1)
        .ofMaxSize(80);
  }
}
