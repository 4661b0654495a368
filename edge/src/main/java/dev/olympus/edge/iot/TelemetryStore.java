package dev.olympus.edge.iot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertEngineState;
import dev.olympus.core.iot.TelemetryEvent;
import dev.olympus.store.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The hub's durable store ({@code telemetry.db}): readings, the alert log, the alert engine's state
 * and the batches on their way to the cloud. One writer (the hub's ingest thread) and any number of
 * readers (the LAN API, the forwarder).
 */
public final class TelemetryStore implements AutoCloseable {
  static final String MIGRATIONS = "db/edge-telemetry";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How often new readings are added to {@code readings_by_device}, in one sorted bulk insert. The
   * longer, the fewer pages each device's entries cost, and the longer the one commit that adds
   * them: at 10,000 readings/s, a second's worth held the ingest thread 35–55 ms, a quarter's about
   * a quarter of that.
   */
  static final long INDEX_EVERY_MILLIS = 250;

  private final Database db;
  // The writer's copy of readings_indexed.through_seq, updated after its commit; readers read the
  // table in their own transaction instead.
  private long indexedThrough;
  private long lastIndexedAt = Long.MIN_VALUE / 2;

  private TelemetryStore(Database db) {
    this.db = db;
    this.indexedThrough =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT through_seq FROM readings_indexed WHERE id = 1")
                        .mapTo(Long.class)
                        .one());
  }

  /** Opens (creating and migrating if needed) {@code dataDir/telemetry.db}. */
  public static TelemetryStore open(Path dataDir) {
    return new TelemetryStore(Database.sqlite(dataDir.resolve("telemetry.db")).migrate(MIGRATIONS));
  }

  Jdbi jdbi() {
    return db.jdbi();
  }

  /** Read-only connections that see the last commit while a write is under way. */
  Jdbi reads() {
    return db.reads();
  }

  /** One reading as stored, with its arrival number. */
  public record Reading(
      long seq,
      String deviceId,
      String deviceType,
      long ts,
      Double value,
      String unit,
      Boolean open,
      String state,
      String attributes) {}

  /**
   * Stores a batch of readings, the alerts they changed and, when given, the engine's state, in one
   * transaction. The state records the last reading it includes; after a power cut the engine is
   * restored from it and the readings stored since are replayed ({@link #engineState()}, {@link
   * #readingsAfter}), so what the engine remembers is exactly what the store holds.
   */
  void write(List<TelemetryEvent> events, List<Alert> alerts, AlertEngineState state, long now) {
    boolean indexNow = now - lastIndexedAt >= INDEX_EVERY_MILLIS;
    long indexed =
        db.jdbi()
            .inTransaction(
                h -> {
                  insert(h, events);
                  rollUp(h, events);
                  for (Alert a : alerts) {
                    upsert(h, a, now);
                  }
                  if (state != null) {
                    h.createUpdate(
                            "INSERT INTO engine_state (id, json, through_seq) VALUES (1, :json,"
                                + " (SELECT max(seq) FROM readings)) ON CONFLICT (id) DO UPDATE"
                                + " SET json = excluded.json, through_seq = excluded.through_seq")
                        .bind("json", state.json())
                        .execute();
                  }
                  return indexNow ? indexNewReadings(h) : indexedThrough;
                });
    if (indexNow) {
      lastIndexedAt = now;
      indexedThrough = indexed;
    }
  }

  /**
   * Adds the readings stored since the last time to {@code readings_by_device}, sorted, so that
   * each device's new entries land together (see migration V6); returns the last seq indexed.
   */
  private long indexNewReadings(Handle h) {
    long through =
        h.createQuery("SELECT coalesce(max(seq), 0) FROM readings").mapTo(Long.class).one();
    if (through > indexedThrough) {
      h.createUpdate(
              "INSERT INTO readings_by_device (device_id, ts, seq) SELECT device_id, ts, seq"
                  + " FROM readings WHERE seq > :from AND seq <= :through"
                  + " ORDER BY device_id, ts, seq")
          .bind("from", indexedThrough)
          .bind("through", through)
          .execute();
      h.createUpdate("UPDATE readings_indexed SET through_seq = :through WHERE id = 1")
          .bind("through", through)
          .execute();
    }
    return Math.max(through, indexedThrough);
  }

  private static void insert(Handle h, List<TelemetryEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        h.getConnection()
            .prepareStatement(
                "INSERT INTO readings (device_id, device_type, ts, value, unit, open, state,"
                    + " attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (TelemetryEvent e : events) {
        ps.setString(1, e.deviceId());
        ps.setString(2, e.deviceType().wireName());
        ps.setLong(3, e.tsMillis());
        if (e.value() == null) {
          ps.setNull(4, Types.REAL);
        } else {
          ps.setDouble(4, e.value());
        }
        ps.setString(5, e.unit());
        if (e.open() == null) {
          ps.setNull(6, Types.INTEGER);
        } else {
          ps.setInt(6, e.open() ? 1 : 0);
        }
        ps.setString(7, e.state());
        ps.setString(8, e.attributesJson());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot store " + events.size() + " readings: " + e.getMessage(), e);
    }
  }

  /** The rollup resolutions kept, in milliseconds: 5 minutes and 1 hour. */
  static final long[] ROLLUPS = {300_000L, 3_600_000L};

  /**
   * How long rollups are kept on the edge, by resolution: 90 days of 5-minute buckets and a year of
   * hourly ones, as the cloud keeps them (the edge's raw readings go after 7 days).
   */
  static final long[] ROLLUP_RETENTION_MILLIS = {90L * 86_400_000, 365L * 86_400_000};

  private record BucketKey(String deviceId, long bucketMillis, long start) {}

  private static final class Partial {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;
    long count;

    void add(double v) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      count++;
    }
  }

  /**
   * Folds a batch's numeric readings into the rollups: one upsert per device and bucket touched (a
   * handful per batch), whatever the batch's size.
   */
  private static void rollUp(Handle h, List<TelemetryEvent> events) {
    Map<BucketKey, Partial> partials = new java.util.LinkedHashMap<>();
    for (TelemetryEvent e : events) {
      if (e.value() == null) {
        continue;
      }
      for (long b : ROLLUPS) {
        partials
            .computeIfAbsent(
                new BucketKey(e.deviceId(), b, Math.floorDiv(e.tsMillis(), b) * b),
                k -> new Partial())
            .add(e.value());
      }
    }
    if (partials.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        h.getConnection()
            .prepareStatement(
                "INSERT INTO rollups (device_id, bucket_ms, start, min, max, sum, count)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, bucket_ms, start)"
                    + " DO UPDATE SET min = min(rollups.min, excluded.min),"
                    + " max = max(rollups.max, excluded.max), sum = rollups.sum + excluded.sum,"
                    + " count = rollups.count + excluded.count")) {
      for (Map.Entry<BucketKey, Partial> entry : partials.entrySet()) {
        BucketKey k = entry.getKey();
        Partial p = entry.getValue();
        ps.setString(1, k.deviceId());
        ps.setLong(2, k.bucketMillis());
        ps.setLong(3, k.start());
        ps.setDouble(4, p.min);
        ps.setDouble(5, p.max);
        ps.setDouble(6, p.sum);
        ps.setLong(7, p.count);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update the rollups: " + e.getMessage(), e);
    }
  }

  private static void upsert(Handle h, Alert a, long now) {
    h.createUpdate(
            "INSERT INTO alerts (alert_id, device_id, rule, status, started_at, updated_at, json,"
                + " forwarded) VALUES (:id, :device, :rule, :status, :started, :now, :json, 0)"
                + " ON CONFLICT (alert_id) DO UPDATE SET status = excluded.status,"
                + " updated_at = excluded.updated_at, json = excluded.json, forwarded = 0")
        .bind("id", a.alertId())
        .bind("device", a.deviceId())
        .bind("rule", a.rule().wireName())
        .bind("status", a.status().wireName())
        .bind("started", a.startedAt().toEpochMilli())
        .bind("now", now)
        .bind("json", json(a.toWire()))
        .execute();
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** The engine's saved state and the last reading it includes. */
  record SavedEngine(AlertEngineState state, long throughSeq) {}

  /** The engine's saved state, if any. */
  Optional<SavedEngine> engineState() {
    return db.reads()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT json, coalesce(through_seq, (SELECT max(seq) FROM readings), 0)"
                            + " FROM engine_state WHERE id = 1")
                    .map(
                        (rs, ctx) ->
                            new SavedEngine(new AlertEngineState(rs.getString(1)), rs.getLong(2)))
                    .findOne());
  }

  /** Readings stored after {@code seq}, in arrival order, at most {@code limit}. */
  List<Reading> readingsAfter(long seq, int limit) {
    return db.reads()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT seq, device_id, device_type, ts, value, unit, open, state,"
                            + " attributes FROM readings WHERE seq > :seq ORDER BY seq LIMIT :limit")
                    .bind("seq", seq)
                    .bind("limit", limit)
                    .map((rs, ctx) -> row(rs))
                    .list());
  }

  /** The last seq in {@code readings_by_device}, as the transaction of {@code h} sees it. */
  private static long indexedThroughIn(Handle h) {
    return h.createQuery("SELECT through_seq FROM readings_indexed WHERE id = 1")
        .mapTo(Long.class)
        .one();
  }

  private static final String COLUMNS =
      "seq, device_id, device_type, ts, value, unit, open, state, attributes";

  private static final Comparator<Reading> BY_EVENT_TIME =
      Comparator.comparingLong(Reading::ts).thenComparingLong(Reading::seq);

  /**
   * A device's readings with {@code from <= ts < to}, oldest first (by event time, then arrival),
   * at most {@code limit}: from {@code readings_by_device}, and from the readings stored since it
   * was last filled.
   */
  public List<Reading> readings(String deviceId, long from, long to, int limit) {
    // One read transaction: the table, its through_seq and the tail come from one snapshot, so a
    // fill committed meanwhile neither repeats nor drops a reading.
    return db.reads()
        .inTransaction(
            h -> {
              long through = indexedThroughIn(h);
              List<Reading> out =
                  new ArrayList<>(
                      h.createQuery(
                              "SELECT r.seq, r.device_id, r.device_type, r.ts, r.value, r.unit,"
                                  + " r.open, r.state, r.attributes FROM readings_by_device i"
                                  + " JOIN readings r ON r.seq = i.seq WHERE i.device_id = :d"
                                  + " AND i.ts >= :from AND i.ts < :to ORDER BY i.ts, i.seq"
                                  + " LIMIT :limit")
                          .bind("d", deviceId)
                          .bind("from", from)
                          .bind("to", to)
                          .bind("limit", limit)
                          .map((rs, ctx) -> row(rs))
                          .list());
              out.addAll(
                  h.createQuery(
                          "SELECT "
                              + COLUMNS
                              + " FROM readings WHERE seq > :through AND device_id = :d"
                              + " AND ts >= :from AND ts < :to")
                      .bind("through", through)
                      .bind("d", deviceId)
                      .bind("from", from)
                      .bind("to", to)
                      .map((rs, ctx) -> row(rs))
                      .list());
              out.sort(BY_EVENT_TIME);
              return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
            });
  }

  /** One bucket of a device's numeric readings. */
  public record Bucket(long start, double min, double max, double avg, long count) {}

  /**
   * A device's numeric readings in buckets of {@code bucketMillis} (one of {@link #ROLLUPS}) whose
   * start lies in {@code [from, to)}, oldest first; read from the rollups.
   */
  public List<Bucket> buckets(String deviceId, long from, long to, long bucketMillis) {
    return db.reads()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT start, min, max, sum / count, count FROM rollups"
                            + " WHERE device_id = :d AND bucket_ms = :b AND start >= :from"
                            + " AND start < :to ORDER BY start")
                    .bind("b", bucketMillis)
                    .bind("d", deviceId)
                    .bind("from", Math.floorDiv(from, bucketMillis) * bucketMillis)
                    .bind("to", to)
                    .map(
                        (rs, ctx) ->
                            new Bucket(
                                rs.getLong(1),
                                rs.getDouble(2),
                                rs.getDouble(3),
                                rs.getDouble(4),
                                rs.getLong(5)))
                    .list());
  }

  /**
   * The latest reading (by event time) of each of {@code deviceIds} that has one: an index search
   * per device, where grouping every stored reading by device grew with the days kept, and one pass
   * over the readings not yet in {@code readings_by_device}.
   */
  public Map<String, Reading> latest(java.util.Collection<String> deviceIds) {
    Map<String, Reading> out = new java.util.HashMap<>();
    if (deviceIds.isEmpty()) {
      return out;
    }
    java.util.Set<String> wanted = java.util.Set.copyOf(deviceIds);
    db.reads()
        .useTransaction(
            h -> {
              long through = indexedThroughIn(h);
              for (String deviceId : wanted) {
                h.createQuery(
                        "SELECT r.seq, r.device_id, r.device_type, r.ts, r.value, r.unit, r.open,"
                            + " r.state, r.attributes FROM readings_by_device i JOIN readings r"
                            + " ON r.seq = i.seq WHERE i.device_id = :device"
                            + " ORDER BY i.ts DESC, i.seq DESC LIMIT 1")
                    .bind("device", deviceId)
                    .map((rs, ctx) -> row(rs))
                    .findOne()
                    .ifPresent(r -> out.put(r.deviceId(), r));
              }
              h.createQuery("SELECT " + COLUMNS + " FROM readings WHERE seq > :through")
                  .bind("through", through)
                  .map((rs, ctx) -> row(rs))
                  .forEach(
                      r -> {
                        if (wanted.contains(r.deviceId())) {
                          out.merge(
                              r.deviceId(), r, (a, b) -> BY_EVENT_TIME.compare(a, b) >= 0 ? a : b);
                        }
                      });
            });
    return out;
  }

  /** The alert log, newest episode first: open ones only, or all. */
  public List<String> alertsJson(boolean openOnly, int limit) {
    return db.reads()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT json FROM alerts"
                            + (openOnly ? " WHERE status <> 'resolved'" : "")
                            + " ORDER BY started_at DESC LIMIT :limit")
                    .bind("limit", limit)
                    .mapTo(String.class)
                    .list());
  }

  /** The devices with an alert not yet resolved. */
  public java.util.Set<String> devicesWithOpenAlerts() {
    return db.reads()
        .withHandle(
            h ->
                java.util.Set.copyOf(
                    h.createQuery(
                            "SELECT DISTINCT device_id FROM alerts WHERE status <> 'resolved'")
                        .mapTo(String.class)
                        .list()));
  }

  /** An alert's status in the log ({@code active}, {@code acknowledged}, {@code resolved}). */
  public Optional<String> alertStatus(String alertId) {
    return db.reads()
        .withHandle(
            h ->
                h.createQuery("SELECT status FROM alerts WHERE alert_id = :id")
                    .bind("id", alertId)
                    .mapTo(String.class)
                    .findOne());
  }

  /** An alert open in the log: its id, status and location. */
  record OpenAlert(String alertId, String status, String locationId) {}

  /** The alerts open in the log (active or acknowledged), oldest episode first. */
  List<OpenAlert> openAlerts() {
    return db.reads()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT alert_id, status, json FROM alerts WHERE status <> 'resolved'"
                            + " ORDER BY started_at, alert_id")
                    .map(
                        (rs, ctx) -> {
                          String location;
                          try {
                            location = JSON.readTree(rs.getString(3)).path("location_id").asText();
                          } catch (JsonProcessingException e) {
                            location = "";
                          }
                          return new OpenAlert(rs.getString(1), rs.getString(2), location);
                        })
                    .list());
  }

  /** How many readings are stored and not yet acknowledged by the cloud. */
  public long unforwarded() {
    return db.reads()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT (SELECT count(*) FROM readings WHERE batch_id IS NULL)"
                            + " + coalesce((SELECT sum(readings) FROM forward_batches"
                            + " WHERE status = 'pending'), 0)")
                    .mapTo(Long.class)
                    .one());
  }

  /**
   * Removes readings older than {@code cutoffMillis} that the cloud has (their batch acknowledged,
   * or parked as refused for good); never one still on its way. Returns how many went.
   */
  public int prune(long cutoffMillis) {
    return db.jdbi()
        .inTransaction(
            h -> {
              h.createUpdate(
                      "DELETE FROM readings_by_device WHERE (device_id, ts, seq) IN (SELECT"
                          + " device_id, ts, seq FROM readings WHERE ts < :cutoff AND batch_id IN"
                          + " (SELECT batch_id FROM"
                          + " forward_batches WHERE status IN ('acked', 'parked')))")
                  .bind("cutoff", cutoffMillis)
                  .execute();
              int gone =
                  h.createUpdate(
                          "DELETE FROM readings WHERE ts < :cutoff AND batch_id IN"
                              + " (SELECT batch_id FROM forward_batches WHERE status IN"
                              + " ('acked', 'parked'))")
                      .bind("cutoff", cutoffMillis)
                      .execute();
              h.createUpdate(
                      "DELETE FROM forward_batches WHERE status IN ('acked', 'parked') AND NOT"
                          + " EXISTS (SELECT 1 FROM readings r WHERE r.batch_id ="
                          + " forward_batches.batch_id)")
                  .execute();
              h.createUpdate(
                      "DELETE FROM alerts WHERE status = 'resolved' AND forwarded = 1"
                          + " AND updated_at < :cutoff")
                  .bind("cutoff", cutoffMillis)
                  .execute();
              return gone;
            });
  }

  /** Removes rollup buckets past their retention ({@link #ROLLUP_RETENTION_MILLIS}). */
  public int pruneRollups(long nowMillis) {
    return db.jdbi()
        .inTransaction(
            h -> {
              int gone = 0;
              for (int i = 0; i < ROLLUPS.length; i++) {
                gone +=
                    h.createUpdate("DELETE FROM rollups WHERE bucket_ms = :b AND start < :cutoff")
                        .bind("b", ROLLUPS[i])
                        .bind("cutoff", nowMillis - ROLLUP_RETENTION_MILLIS[i])
                        .execute();
              }
              return gone;
            });
  }

  /** How many readings are stored. */
  public long count() {
    return db.reads()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM readings").mapTo(Long.class).one());
  }

  /** The SQL that reads a forward batch's readings: a seq range by primary key, then filtered. */
  static final String BATCH_READINGS =
      "SELECT seq, device_id, device_type, ts, value, unit, open, state, attributes"
          + " FROM readings WHERE seq BETWEEN"
          + " (SELECT first_seq FROM forward_batches WHERE batch_id = :b)"
          + " AND coalesce((SELECT last_seq FROM forward_batches WHERE batch_id = :b),"
          + " 9223372036854775807) AND batch_id = :b ORDER BY seq";

  List<Reading> batchReadings(Handle h, String batchId) {
    return h.createQuery(BATCH_READINGS).bind("b", batchId).map((rs, ctx) -> row(rs)).list();
  }

  private static Reading row(ResultSet rs) throws SQLException {
    return new Reading(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getObject(5) == null ? null : rs.getDouble(5),
        rs.getString(6),
        rs.getObject(7) == null ? null : rs.getInt(7) == 1,
        rs.getString(8),
        rs.getString(9));
  }

  static List<Long> seqs(List<Reading> readings) {
    List<Long> out = new ArrayList<>(readings.size());
    for (Reading r : readings) {
      out.add(r.seq());
    }
    return out;
  }

  @Override
  public void close() {
    db.close();
  }
}
