package dev.olympus.edge.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock a test moves: only {@link #millis()} differs between the test clocks. */
public abstract class TestClock extends Clock {
  @Override
  public final ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public final Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public final Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
