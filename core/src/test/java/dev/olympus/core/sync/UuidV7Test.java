package dev.olympus.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {
  @Test
  void next_anyClock_isVersion7WithTheClockInItsTopBits() {
    Clock clock = Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L), ZoneOffset.UTC);
    UUID id = UUID.fromString(UuidV7.next(clock, new Random(1)));
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_795_000_000_000L);
  }

  @Test
  void next_laterClock_sortsAfter() {
    Random random = new Random(2);
    String a = UuidV7.next(Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC), random);
    String b = UuidV7.next(Clock.fixed(Instant.ofEpochMilli(2_000), ZoneOffset.UTC), random);
    assertThat(a).isLessThan(b);
  }
}
