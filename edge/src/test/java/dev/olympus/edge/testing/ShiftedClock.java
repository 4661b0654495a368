package dev.olympus.edge.testing;

import java.time.Duration;

/**
 * The wall clock plus an offset a test moves, so timers of minutes or hours pass without waiting
 * while everything else (sockets, brokers, awaits) runs in real time.
 */
public final class ShiftedClock extends TestClock {
  private volatile Duration offset;

  public ShiftedClock(Duration offset) {
    this.offset = offset;
  }

  /** Moves the clock to the wall clock plus {@code newOffset}. */
  public void set(Duration newOffset) {
    offset = newOffset;
  }

  /** Moves the clock forward by {@code d}. */
  public synchronized void advance(Duration d) {
    offset = offset.plus(d);
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offset.toMillis();
  }
}
