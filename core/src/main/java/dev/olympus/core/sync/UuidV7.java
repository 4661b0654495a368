package dev.olympus.core.sync;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.UUID;

/**
 * UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds, then random bits. Time-ordered, so ids
 * chosen offline by many devices never collide and index well. Record ids and op ids use them.
 */
public final class UuidV7 {
  private static final SecureRandom SECURE = new SecureRandom();

  private UuidV7() {}

  /** A new id from the system clock and a secure random source. */
  public static String next() {
    return next(Clock.systemUTC(), SECURE);
  }

  /** A new id from {@code clock} and {@code random}, injected for repeatable tests. */
  public static String next(Clock clock, Random random) {
    long millis = clock.millis();
    long high;
    long low;
    synchronized (random) {
      high = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFF);
      low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    }
    return new UUID(high, low).toString();
  }
}
