package dev.olympus.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The schedule of an open-loop generator: request {@code i} is due at {@code start + i / rate}
 * whether or not earlier ones were answered, so a server that falls behind shows as latency from
 * the due time, not as fewer requests.
 */
final class OpenLoop {
  private OpenLoop() {}

  /**
   * Waits until request {@code index} of a schedule at {@code rate} per second is due; its time.
   */
  static long awaitDue(long start, long index, double rate) {
    long due = start + (long) (index * 1e9 / rate);
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
    return due;
  }
}
