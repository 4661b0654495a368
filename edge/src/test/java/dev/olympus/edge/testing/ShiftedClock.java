package dev.olympus.edge.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The wall clock plus an offset a test moves, so timers of minutes or hours pass without waiting
 * while everything else (sockets, brokers, awaits) runs in real time.
 */
public final class ShiftedClock extends Clock {
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
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offset.toMillis();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
