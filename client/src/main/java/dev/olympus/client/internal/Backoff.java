package dev.olympus.client.internal;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with "equal jitter": attempt {@code n} waits between half and all of {@code
 * min(max, base * 2^n)}, so many terminals that lost the same edge do not come back in step.
 */
public final class Backoff {
  private final long baseMillis;
  private final long maxMillis;
  private final Random random;

  /**
   * A backoff policy.
   *
   * @param base the ceiling of the first delay
   * @param max the largest ceiling
   * @param random the jitter source (seeded in tests)
   */
  public Backoff(Duration base, Duration max, Random random) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "backoff base was " + base + " and max " + max + ": use 0 < base <= max");
    }
    this.baseMillis = base.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The delay before retry number {@code attempt} (0 for the first retry). */
  public Duration delay(int attempt) {
    long ceiling = ceilingMillis(attempt);
    long half = ceiling / 2;
    long jitter;
    synchronized (random) {
      jitter = (long) (random.nextDouble() * (ceiling - half + 1));
    }
    return Duration.ofMillis(half + Math.min(jitter, ceiling - half));
  }

  /** The largest delay attempt {@code attempt} can get. */
  public long ceilingMillis(int attempt) {
    int shift = Math.max(0, Math.min(attempt, 30));
    long ceiling = baseMillis << shift;
    return ceiling <= 0 || ceiling > maxMillis ? maxMillis : ceiling;
  }
}
