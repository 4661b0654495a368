package dev.olympus.edge.outbox;

import dev.olympus.core.sync.UuidV7;
import java.time.Clock;
import java.util.Random;

/** Op ids for local writes: UUIDv7 from the edge's injected clock and random source. */
public final class OpIds {
  private final Clock clock;
  private final Random random;

  public OpIds(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  public String next() {
    return UuidV7.next(clock, random);
  }
}
