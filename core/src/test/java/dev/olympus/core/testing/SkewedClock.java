package dev.olympus.core.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A node's wall clock: a shared test clock plus this node's fixed error. */
public final class SkewedClock extends Clock {
  private final Clock shared;
  private final long skewMillis;

  public SkewedClock(Clock shared, long skewMillis) {
    this.shared = shared;
    this.skewMillis = skewMillis;
  }

  @Override
  public long millis() {
    return shared.millis() + skewMillis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock has no zone");
  }
}
