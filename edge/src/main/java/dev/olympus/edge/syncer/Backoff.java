package dev.olympus.edge.syncer;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with jitter: after {@code n} consecutive failures the next attempt waits
 * between half and all of {@code min(cap, base * 2^(n-1))}. The jitter keeps a chain's edges from
 * reconnecting in lock step when the cloud comes back.
 */
public final class Backoff {
  private final Duration base;
  private final Duration cap;
  private final Random random;

  public Backoff(Duration base, Duration cap, Random random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < base <= cap, was base " + base + " and cap " + cap);
    }
    this.base = base;
    this.cap = cap;
    this.random = random;
  }

  /** The wait before the next attempt after {@code failures} consecutive failures (at least 1). */
  public Duration delay(long failures) {
    long exponent = Math.max(0, Math.min(failures - 1, 30));
    long ceiling = Math.min(cap.toMillis(), base.toMillis() << exponent);
    if (ceiling <= 1) {
      return Duration.ofMillis(ceiling);
    }
    long half = ceiling / 2;
    long jitter;
    synchronized (random) {
      jitter = (long) (random.nextDouble() * (ceiling - half + 1));
    }
    return Duration.ofMillis(Math.min(ceiling, half + jitter));
  }
}
