package dev.olympus.core.clock;

import java.time.Clock;
import java.time.Duration;

/**
 * A hybrid logical clock: 64 bits, the upper 48 hold wall-clock milliseconds and the lower 16 a
 * logical counter. Timestamps it issues only ever increase, even when the wall clock steps back,
 * and a node that has seen a remote timestamp issues only later ones after it.
 *
 * <p>Wall clocks in restaurants are often wrong, so a remote timestamp more than {@code maxSkew}
 * ahead of this node's wall clock is not absorbed: {@link #receive(long)} reports it and leaves the
 * clock alone, and the caller stamps the change with {@link #now()} instead (see {@link
 * Receipt#skewed()}).
 *
 * <p>Thread-safe.
 */
public final class HybridLogicalClock {
  /** Bits of the logical counter. */
  public static final int LOGICAL_BITS = 16;

  private static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

  private final Clock wallClock;
  private final long maxSkewMillis;
  private long last;

  /**
   * @param wallClock the node's wall clock
   * @param maxSkew how far ahead of the wall clock a remote timestamp may be and still be absorbed
   */
  public HybridLogicalClock(Clock wallClock, Duration maxSkew) {
    if (maxSkew.isNegative()) {
      throw new IllegalArgumentException("maxSkew must not be negative, was " + maxSkew);
    }
    this.wallClock = wallClock;
    this.maxSkewMillis = maxSkew.toMillis();
  }

  /** A clock on the system wall clock with the default 5 minute skew guard. */
  public static HybridLogicalClock system() {
    return new HybridLogicalClock(Clock.systemUTC(), Duration.ofMinutes(5));
  }

  /** The timestamp made of {@code physicalMillis} and {@code logical}. */
  public static long encode(long physicalMillis, int logical) {
    if (physicalMillis < 0 || physicalMillis >= (1L << (64 - LOGICAL_BITS - 1))) {
      throw new IllegalArgumentException("physical time out of range: " + physicalMillis);
    }
    if (logical < 0 || logical > LOGICAL_MASK) {
      throw new IllegalArgumentException("logical counter out of range: " + logical);
    }
    return (physicalMillis << LOGICAL_BITS) | logical;
  }

  /** The wall-clock milliseconds of a timestamp. */
  public static long physical(long timestamp) {
    return timestamp >>> LOGICAL_BITS;
  }

  /** The logical counter of a timestamp. */
  public static int logical(long timestamp) {
    return (int) (timestamp & LOGICAL_MASK);
  }

  /** A new timestamp, later than every timestamp this clock issued or absorbed before. */
  public synchronized long now() {
    long wall = encode(wallClock.millis(), 0);
    last = Math.max(wall, last + 1);
    return last;
  }

  /** The latest timestamp issued or absorbed, without advancing the clock. */
  public synchronized long peek() {
    return last;
  }

  /**
   * Absorbs a timestamp seen on another node, so that later {@link #now()} values are after it.
   *
   * @return whether the timestamp was absorbed, or rejected as too far ahead of the wall clock
   */
  public synchronized Receipt receive(long remote) {
    long wallMillis = wallClock.millis();
    if (physical(remote) - wallMillis > maxSkewMillis) {
      return new Receipt(remote, true);
    }
    last = Math.max(last, remote);
    return new Receipt(remote, false);
  }

  /**
   * The answer of {@link #receive(long)}.
   *
   * @param remote the timestamp received
   * @param skewed true when it was more than the allowed skew ahead of this node's wall clock and
   *     was not absorbed
   */
  public record Receipt(long remote, boolean skewed) {}
}
