package dev.olympus.edge.iot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.iot.DeviceType;
import dev.olympus.core.iot.TelemetryEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryStoreTest {
  @TempDir Path dir;

  static TelemetryEvent reading(long ts) {
    return new TelemetryEvent(
        "t1", "loc-1", "cooler-1", DeviceType.TEMPERATURE, ts, 35.0, "F", null, null, null);
  }

  @Test
  void prune_removesOnlyOldReadingsTheCloudAcknowledged_neverOnesOnTheirWay() {
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      store.write(readings(10), List.of(), null, 0);
      store
          .jdbi()
          .useHandle(
              h -> {
                h.execute(
                    "INSERT INTO forward_batches (batch_id, first_seq, created_at, readings, status)"
                        + " VALUES ('e:1', 1, 0, 4, 'acked'), ('e:5', 5, 0, 3, 'pending')");
                h.execute("UPDATE readings SET batch_id = 'e:1' WHERE seq <= 4");
                h.execute("UPDATE readings SET batch_id = 'e:5' WHERE seq BETWEEN 5 AND 7");
              });
      // Readings 1–4 were acknowledged, 5–7 are in a batch on its way, 8–10 in no batch yet.
      assertThat(store.prune(1_003L)).isEqualTo(3); // seq 1–3: acked and older than the cutoff
      assertThat(store.prune(2_000L)).isEqualTo(1); // seq 4
      assertThat(store.count()).isEqualTo(6);
      assertThat(store.unforwarded()).isEqualTo(6);
      int batches =
          store
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT count(*) FROM forward_batches")
                          .mapTo(Integer.class)
                          .one());
      assertThat(batches).as("the emptied acknowledged batch is gone").isEqualTo(1);
    }
  }

  @Test
  void batchReadings_readTheBatchsSeqRangeByPrimaryKey_alsoForBatchesWithoutALastSeq() {
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      store.write(readings(10), List.of(), null, 0);
      store
          .jdbi()
          .useHandle(
              h -> {
                // A live batch (7, 9) formed before the backlog around it, and one from before
                // last_seq was kept (2, 4, 8).
                h.execute(
                    "INSERT INTO forward_batches (batch_id, first_seq, last_seq, created_at,"
                        + " readings) VALUES ('e:7', 7, 9, 0, 2)");
                h.execute(
                    "INSERT INTO forward_batches (batch_id, first_seq, created_at, readings)"
                        + " VALUES ('e:2', 2, 0, 3)");
                h.execute("UPDATE readings SET batch_id = 'e:7' WHERE seq IN (7, 9)");
                h.execute("UPDATE readings SET batch_id = 'e:2' WHERE seq IN (2, 4, 8)");
              });
      List<Long> live =
          store.jdbi().withHandle(h -> store.batchReadings(h, "e:7")).stream()
              .map(TelemetryStore.Reading::seq)
              .toList();
      List<Long> legacy =
          store.jdbi().withHandle(h -> store.batchReadings(h, "e:2")).stream()
              .map(TelemetryStore.Reading::seq)
              .toList();
      List<String> plan =
          store
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("EXPLAIN QUERY PLAN " + TelemetryStore.BATCH_READINGS)
                          .bind("b", "e:7")
                          .map((rs, ctx) -> rs.getString("detail"))
                          .list());

      assertThat(live).containsExactly(7L, 9L);
      assertThat(legacy).containsExactly(2L, 4L, 8L);
      assertThat(plan)
          .anyMatch(step -> step.contains("SEARCH readings USING INTEGER PRIMARY KEY"))
          .noneMatch(step -> step.startsWith("SCAN readings"));
    }
  }

  @Test
  void latest_isEachDevicesNewestReadingByEventTime_evenWhenABacklogArrivesAfterIt() {
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      store.write(
          List.of(reading("cooler-1", 5_000, 35.0), reading("freezer-1", 4_000, -2.0)),
          List.of(),
          null,
          0);
      // A replayed backlog: older readings that arrive later.
      store.write(
          List.of(reading("cooler-1", 1_000, 41.0), reading("cooler-1", 2_000, 40.0)),
          List.of(),
          null,
          0);

      var latest = store.latest(List.of("cooler-1", "freezer-1", "oven-1"));

      assertThat(latest).containsOnlyKeys("cooler-1", "freezer-1");
      assertThat(latest.get("cooler-1").ts()).isEqualTo(5_000);
      assertThat(latest.get("cooler-1").value()).isEqualTo(35.0);
      assertThat(latest.get("freezer-1").value()).isEqualTo(-2.0);
      assertThat(store.latest(List.of())).isEmpty();
    }
  }

  @Test
  void readings_fromTheDeviceTableAndTheReadingsNotYetInIt_inEventTimeOrderWithinTheLimit() {
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      // Indexed at once (the first write), then two writes within the interval: not yet indexed.
      long every = TelemetryStore.INDEX_EVERY_MILLIS;
      store.write(
          List.of(reading("cooler-1", 5_000, 35.0), reading("freezer-1", 5_000, -2.0)),
          List.of(),
          null,
          100_000);
      store.write(List.of(reading("cooler-1", 6_000, 36.0)), List.of(), null, 100_000 + every / 3);
      // A replayed backlog arrives late with older event times.
      store.write(
          List.of(reading("cooler-1", 1_000, 41.0), reading("cooler-1", 9_000, 37.0)),
          List.of(),
          null,
          100_000 + every * 2 / 3);
      assertThat(indexed(store)).isEqualTo(2);

      assertThat(values(store.readings("cooler-1", 0, 10_000, 10)))
          .containsExactly(41.0, 35.0, 36.0, 37.0);
      assertThat(values(store.readings("cooler-1", 0, 10_000, 2))).containsExactly(41.0, 35.0);
      assertThat(values(store.readings("cooler-1", 5_000, 9_000, 10))).containsExactly(35.0, 36.0);
      assertThat(values(store.readings("freezer-1", 0, 10_000, 10))).containsExactly(-2.0);
      assertThat(store.latest(List.of("cooler-1")).get("cooler-1").value()).isEqualTo(37.0);

      store.write(List.of(), List.of(), null, 100_000 + every);
      assertThat(indexed(store)).as("all five indexed an interval later").isEqualTo(5);
      assertThat(values(store.readings("cooler-1", 0, 10_000, 10)))
          .containsExactly(41.0, 35.0, 36.0, 37.0);
      assertThat(store.latest(List.of("cooler-1")).get("cooler-1").value()).isEqualTo(37.0);
    }
    try (TelemetryStore reopened = TelemetryStore.open(dir)) {
      assertThat(values(reopened.readings("cooler-1", 0, 10_000, 10)))
          .containsExactly(41.0, 35.0, 36.0, 37.0);
    }
  }

  @Test
  void deviceReadings_searchTheDeviceTableByKeyAndTheNewestReadingsBySeq() {
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      List<String> plan =
          store
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "EXPLAIN QUERY PLAN SELECT r.seq FROM readings_by_device i JOIN"
                                  + " readings r ON r.seq = i.seq WHERE i.device_id = 'd' AND"
                                  + " i.ts >= 0 AND i.ts < 9 ORDER BY i.ts, i.seq LIMIT 5")
                          .map((rs, ctx) -> rs.getString("detail"))
                          .list());
      assertThat(plan)
          .anyMatch(step -> step.contains("SEARCH i USING PRIMARY KEY (device_id=? AND ts>? AND"))
          .anyMatch(step -> step.contains("SEARCH r USING INTEGER PRIMARY KEY (rowid=?)"))
          .noneMatch(step -> step.startsWith("SCAN"))
          .noneMatch(step -> step.contains("TEMP B-TREE"));
    }
  }

  @Test
  void prune_removesThePrunedReadingsFromTheDeviceTable() {
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      store.write(readings(6), List.of(), null, 0);
      store
          .jdbi()
          .useHandle(
              h -> {
                h.execute(
                    "INSERT INTO forward_batches (batch_id, first_seq, last_seq, created_at,"
                        + " readings, status) VALUES ('e:1', 1, 6, 0, 6, 'acked')");
                h.execute("UPDATE readings SET batch_id = 'e:1'");
              });

      assertThat(store.prune(1_004L)).isEqualTo(4);
      assertThat(indexed(store)).isEqualTo(2);
      assertThat(store.readings("cooler-1", 0, 10_000, 10))
          .extracting("ts")
          .containsExactly(1_004L, 1_005L);
    }
  }

  @Test
  void migration_indexesTheReadingsStoredBeforeTheDeviceTableExisted() {
    Path file = dir.resolve("telemetry.db");
    Flyway.configure()
        .dataSource("jdbc:sqlite:" + file, null, null)
        .locations("classpath:" + TelemetryStore.MIGRATIONS + "/sqlite")
        .target("5")
        .load()
        .migrate();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var ps =
            c.prepareStatement(
                "INSERT INTO readings (device_id, device_type, ts, value, unit) VALUES (?,"
                    + " 'temperature', ?, ?, 'F')")) {
      for (int i = 0; i < 50; i++) {
        ps.setString(1, i % 2 == 0 ? "cooler-1" : "freezer-1");
        ps.setLong(2, 10_000L - i);
        ps.setDouble(3, i);
        ps.executeUpdate();
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      assertThat(indexed(store)).isEqualTo(50);
      List<TelemetryStore.Reading> cooler = store.readings("cooler-1", 0, 20_000, 100);
      assertThat(cooler).hasSize(25);
      assertThat(cooler.getFirst().ts()).isEqualTo(10_000L - 48);
      assertThat(cooler.getLast().ts()).isEqualTo(10_000L);
      assertThat(store.latest(List.of("freezer-1")).get("freezer-1").ts()).isEqualTo(9_999L);
    }
  }

  private static long indexed(TelemetryStore store) {
    return store
        .jdbi()
        .withHandle(
            h -> h.createQuery("SELECT count(*) FROM readings_by_device").mapTo(Long.class).one());
  }

  private static List<Double> values(List<TelemetryStore.Reading> readings) {
    return readings.stream().map(TelemetryStore.Reading::value).toList();
  }

  /** {@code n} readings of cooler-1, one a millisecond from ts 1,000. */
  static List<TelemetryEvent> readings(int n) {
    List<TelemetryEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(reading(1_000L + i));
    }
    return events;
  }

  static TelemetryEvent reading(String device, long ts, double value) {
    return new TelemetryEvent(
        "t1", "loc-1", device, DeviceType.TEMPERATURE, ts, value, "F", null, null, null);
  }

  /** min, max, sum and count per bucket start, computed the slow way. */
  private static TreeMap<Long, double[]> expected(List<TelemetryEvent> events, long bucket) {
    TreeMap<Long, double[]> out = new TreeMap<>();
    for (TelemetryEvent e : events) {
      double[] b =
          out.computeIfAbsent(
              Math.floorDiv(e.tsMillis(), bucket) * bucket,
              k -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, 0, 0});
      b[0] = Math.min(b[0], e.value());
      b[1] = Math.max(b[1], e.value());
      b[2] += e.value();
      b[3]++;
    }
    return out;
  }

  private static void assertBuckets(
      TelemetryStore store, String device, List<TelemetryEvent> events, long from, long to) {
    for (long bucket : TelemetryStore.ROLLUPS) {
      List<TelemetryEvent> mine =
          events.stream()
              .filter(e -> e.deviceId().equals(device))
              .filter(e -> Math.floorDiv(e.tsMillis(), bucket) * bucket >= from - from % bucket)
              .filter(e -> Math.floorDiv(e.tsMillis(), bucket) * bucket < to)
              .toList();
      TreeMap<Long, double[]> want = expected(mine, bucket);
      List<TelemetryStore.Bucket> got = store.buckets(device, from, to, bucket);
      assertThat(got)
          .extracting(TelemetryStore.Bucket::start)
          .containsExactlyElementsOf(want.keySet());
      for (TelemetryStore.Bucket b : got) {
        double[] w = want.get(b.start());
        assertThat(b.min()).isEqualTo(w[0]);
        assertThat(b.max()).isEqualTo(w[1]);
        assertThat(b.avg()).isCloseTo(w[2] / w[3], org.assertj.core.data.Offset.offset(1e-9));
        assertThat(b.count()).isEqualTo((long) w[3]);
      }
    }
  }

  @Test
  void rollups_equalTheRawReadingsGrouped_whateverTheBatchesAndTheOrderOfArrival() {
    Random random = new Random(42);
    List<TelemetryEvent> all = new ArrayList<>();
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      for (int batch = 0; batch < 40; batch++) {
        List<TelemetryEvent> events = new ArrayList<>();
        int size = 1 + random.nextInt(300);
        for (int i = 0; i < size; i++) {
          // a replayed backlog mixes old timestamps into live batches
          long ts = 1_767_225_600_000L + random.nextLong(2 * 86_400_000L);
          String device = random.nextBoolean() ? "cooler-1" : "freezer-1";
          events.add(reading(device, ts, Math.round(random.nextGaussian() * 400) / 10.0));
        }
        if (batch % 7 == 0) {
          events.add(
              new TelemetryEvent(
                  "t1",
                  "loc-1",
                  "door-1",
                  DeviceType.DOOR,
                  1_767_225_600_000L,
                  null,
                  null,
                  true,
                  null,
                  null));
        }
        store.write(events, List.of(), null, 0);
        all.addAll(events.stream().filter(e -> e.value() != null).toList());
      }
      long from = 1_767_225_600_000L + 3 * 3_600_000L + 123_456;
      long to = from + 86_400_000L;
      assertBuckets(store, "cooler-1", all, from, to);
      assertBuckets(store, "freezer-1", all, from, to);
      assertThat(store.buckets("door-1", 0, Long.MAX_VALUE, 300_000L))
          .as("no numeric value, no bucket")
          .isEmpty();
    }
  }

  @Test
  void migration_rollsUpTheReadingsStoredBeforeRollupsExisted() {
    Path file = dir.resolve("telemetry.db");
    Flyway.configure()
        .dataSource("jdbc:sqlite:" + file, null, null)
        .locations("classpath:" + TelemetryStore.MIGRATIONS + "/sqlite")
        .target("1")
        .load()
        .migrate();
    List<TelemetryEvent> old = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      old.add(reading("cooler-1", 1_767_225_600_000L + i * 17_000L, 30 + i % 13));
    }
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var ps =
            c.prepareStatement(
                "INSERT INTO readings (device_id, device_type, ts, value, unit) VALUES (?,"
                    + " 'temperature', ?, ?, 'F')")) {
      for (TelemetryEvent e : old) {
        ps.setString(1, e.deviceId());
        ps.setLong(2, e.tsMillis());
        ps.setDouble(3, e.value());
        ps.executeUpdate();
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      assertBuckets(store, "cooler-1", old, 0, Long.MAX_VALUE / 2);
    }
  }

  @Test
  void pruneRollups_keeps90DaysOfFiveMinuteBucketsAndAYearOfHourlyOnes() {
    long day = 86_400_000L;
    long now = 400 * day;
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      store.write(
          List.of(
              reading("cooler-1", now - 100 * day, 35),
              reading("cooler-1", now - 80 * day, 36),
              reading("cooler-1", now - 366 * day, 37)),
          List.of(),
          null,
          0);
      store.pruneRollups(now);
      assertThat(store.buckets("cooler-1", 0, now, 300_000L))
          .extracting(TelemetryStore.Bucket::max)
          .containsExactly(36.0);
      assertThat(store.buckets("cooler-1", 0, now, 3_600_000L))
          .extracting(TelemetryStore.Bucket::max)
          .containsExactly(35.0, 36.0);
    }
  }
}
