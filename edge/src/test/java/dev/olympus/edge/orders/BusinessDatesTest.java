package dev.olympus.edge.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.config.ConfigFixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusinessDatesTest {
  @TempDir Path dir;

  @Test
  void today_withoutAConfiguredDate_isTheLocalDateInThePropertysTimeZone() {
    // 03:00 UTC on the 23rd is still the evening of the 22nd in Los Angeles.
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T03:00:00Z"), ZoneOffset.UTC);
    try (EdgeServer edge = RestaurantFixtures.start(dir, s -> s.withClock(clock))) {
      ConfigFixtures.load(
          edge,
          withProperty(Map.of("id", "loc-1", "name", "LA", "timezone", "America/Los_Angeles")));
      BusinessDates dates = new BusinessDates(edge.config(), clock);

      assertThat(dates.today()).isEqualTo(LocalDate.of(2026, 11, 22));
      assertThat(dates.zone()).isEqualTo(ZoneId.of("America/Los_Angeles"));

      ConfigFixtures.load(
          edge,
          withProperty(
              Map.of(
                  "id",
                  "loc-1",
                  "name",
                  "LA",
                  "timezone",
                  "America/Los_Angeles",
                  "business_date",
                  "2026-11-21")));
      assertThat(dates.today())
          .as("the back office's date wins")
          .isEqualTo(LocalDate.of(2026, 11, 21));

      ConfigFixtures.load(
          edge, withProperty(Map.of("id", "loc-1", "name", "Nowhere", "timezone", "Mars/Olympus")));
      assertThat(dates.today()).as("unknown zone: UTC").isEqualTo(LocalDate.of(2026, 11, 23));
    }
  }

  static FullSyncPayload withProperty(Map<String, Object> property) {
    FullSyncPayload base = RestaurantFixtures.payload(3);
    return new FullSyncPayload(
        3,
        base.timestamp(),
        base.propertyId(),
        base.enterprise(),
        new LinkedHashMap<>(property),
        base.entities());
  }
}
