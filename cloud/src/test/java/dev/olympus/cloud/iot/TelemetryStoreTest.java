package dev.olympus.cloud.iot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.cloud.TestDatabases;
import dev.olympus.core.iot.DeviceType;
import dev.olympus.core.iot.TelemetryEvent;
import dev.olympus.store.Database;
import dev.olympus.store.Dialect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The telemetry store on SQLite and PostgreSQL: rollups, duplicates, retention. */
class TelemetryStoreTest {
  private static final long HOUR = 3_600_000;
  private static final long DAY = 24 * HOUR;
  // 2026-01-01T00:00:00Z, a bucket boundary of both resolutions.
  private static final long T0 = 1_767_225_600_000L;

  @TempDir Path tempDir;

  static TelemetryEvent temp(String tenant, String device, long ts, double value) {
    return new TelemetryEvent(
        tenant, "loc-1", device, DeviceType.TEMPERATURE, ts, value, "F", null, null, null);
  }

  static TelemetryEvent door(String tenant, String device, long ts, boolean open) {
    return new TelemetryEvent(
        tenant, "loc-1", device, DeviceType.DOOR, ts, null, null, open, null, null);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void rollups_countEachReadingOnce_acrossBatchesAndDuplicates(Dialect dialect) {
    try (Database db = TestDatabases.open(dialect, tempDir)) {
      TelemetryStore store = new TelemetryStore(db.jdbi());
      String t = TestDatabases.unique("t");
      // Two batches into the same 5-minute bucket, the second repeating one reading.
      assertThat(
              store.insert(
                  List.of(temp(t, "c1", T0, 34), temp(t, "c1", T0 + 60_000, 36)), "edge", T0))
          .isEqualTo(2);
      assertThat(
              store.insert(
                  List.of(temp(t, "c1", T0 + 60_000, 36), temp(t, "c1", T0 + 120_000, 41)),
                  "mqtt",
                  T0))
          .isEqualTo(1);
      List<TelemetryStore.Bucket> five =
          store.rollups(t, "c1", TelemetryStore.FIVE_MINUTES, T0, T0 + HOUR, 100);
      assertThat(five).hasSize(1);
      TelemetryStore.Bucket b = five.get(0);
      assertThat(b.bucket()).isEqualTo(T0);
      assertThat(b.count()).isEqualTo(3);
      assertThat(b.min()).isEqualTo(34.0);
      assertThat(b.max()).isEqualTo(41.0);
      assertThat(b.avg()).isEqualTo(37.0);
      assertThat(b.unit()).isEqualTo("F");
      // A reading in the next 5-minute bucket, same hour.
      store.insert(List.of(temp(t, "c1", T0 + 6 * 60_000, 30)), "edge", T0);
      assertThat(store.rollups(t, "c1", TelemetryStore.FIVE_MINUTES, T0, T0 + HOUR, 100))
          .hasSize(2);
      List<TelemetryStore.Bucket> hour =
          store.rollups(t, "c1", TelemetryStore.ONE_HOUR, T0, T0 + HOUR, 100);
      assertThat(hour).hasSize(1);
      assertThat(hour.get(0).count()).isEqualTo(4);
      assertThat(hour.get(0).min()).isEqualTo(30.0);
      assertThat(hour.get(0).avg()).isEqualTo((34 + 36 + 41 + 30) / 4.0);
      assertThat(store.raw(t, "c1", T0, T0 + HOUR, 100))
          .extracting(TelemetryStore.Reading::value)
          .containsExactly(34.0, 36.0, 41.0, 30.0);

      // Door readings: counted, opens counted, no value.
      store.insert(List.of(door(t, "d1", T0, true), door(t, "d1", T0 + 1000, false)), "edge", T0);
      TelemetryStore.Bucket d =
          store.rollups(t, "d1", TelemetryStore.FIVE_MINUTES, T0, T0 + HOUR, 10).get(0);
      assertThat(d.count()).isEqualTo(2);
      assertThat(d.openCount()).isEqualTo(1);
      assertThat(d.avg()).isNull();
      assertThat(store.raw(t, "d1", T0, T0 + HOUR, 10).get(0).open()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void insert_ofALargeBatch_storesEveryReading(Dialect dialect) {
    try (Database db = TestDatabases.open(dialect, tempDir)) {
      TelemetryStore store = new TelemetryStore(db.jdbi());
      String t = TestDatabases.unique("t");
      List<TelemetryEvent> events = new ArrayList<>();
      for (int i = 0; i < 2_345; i++) {
        events.add(temp(t, "c" + (i % 7), T0 + i * 1000L, 30 + i % 10));
      }
      assertThat(store.insert(events, "edge", T0)).isEqualTo(2_345);
      long total = 0;
      for (int d = 0; d < 7; d++) {
        for (TelemetryStore.Bucket b :
            store.rollups(t, "c" + d, TelemetryStore.ONE_HOUR, T0, T0 + DAY, 100)) {
          total += b.count();
        }
      }
      assertThat(total).isEqualTo(2_345);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void retention_deletesOldRaw_butKeepsTheRollupsItFed_untilTheirOwnRetention(Dialect dialect) {
    try (Database db = TestDatabases.open(dialect, tempDir)) {
      TelemetryStore store = new TelemetryStore(db.jdbi());
      String t = TestDatabases.unique("t");
      long old = T0 - 100 * DAY;
      long ancient = T0 - 400 * DAY;
      store.insert(
          List.of(temp(t, "c1", ancient, 33), temp(t, "c1", old, 35), temp(t, "c1", T0, 36)),
          "edge",
          T0);
      TelemetryStore.Retention r = store.deleteOlderThan(T0 - 90 * DAY, T0 - 365 * DAY);
      assertThat(r.rawDeleted()).isGreaterThanOrEqualTo(2);
      assertThat(store.raw(t, "c1", ancient - DAY, T0 + DAY, 10))
          .extracting(TelemetryStore.Reading::ts)
          .containsExactly(T0);
      // The 100-day-old reading survives in its rollups; the 400-day-old one is gone.
      assertThat(store.rollups(t, "c1", TelemetryStore.ONE_HOUR, ancient - DAY, T0 + DAY, 10))
          .extracting(TelemetryStore.Bucket::bucket)
          .containsExactly(old, T0);
      assertThat(store.rollups(t, "c1", TelemetryStore.FIVE_MINUTES, old, old, 10))
          .singleElement()
          .satisfies(b -> assertThat(b.avg()).isEqualTo(35.0));
    }
  }
}
