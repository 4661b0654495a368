package dev.olympus.cloud.iot;

import dev.olympus.core.iot.TelemetryEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Raw readings and their 5-minute and 1-hour rollups (decision 017). Rollups are updated in the
 * transaction that inserts the raw readings, from exactly the rows that transaction inserted, so a
 * reading sent twice is counted once and no raw reading is ever without its rollup.
 */
public final class TelemetryStore {
  /** The rollup resolutions, in seconds. */
  public static final int FIVE_MINUTES = 300;

  public static final int ONE_HOUR = 3600;

  private static final int[] RESOLUTIONS = {FIVE_MINUTES, ONE_HOUR};
  private static final int ROWS_PER_INSERT = 500;
  private static final String COLUMNS =
      "tenant_id, device_id, ts, location_id, device_type, value, unit, door_open, state,"
          + " attributes, source, received_at";
  private static final String UPSERT_ROLLUP =
      "INSERT INTO iot_rollups (tenant_id, device_id, resolution, bucket, location_id, unit,"
          + " reading_count, value_count, value_sum, value_min, value_max, open_count)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (tenant_id, device_id, resolution, bucket) DO UPDATE SET"
          + " reading_count = iot_rollups.reading_count + excluded.reading_count,"
          + " value_count = iot_rollups.value_count + excluded.value_count,"
          + " value_sum = CASE WHEN iot_rollups.value_sum IS NULL THEN excluded.value_sum"
          + "   WHEN excluded.value_sum IS NULL THEN iot_rollups.value_sum"
          + "   ELSE iot_rollups.value_sum + excluded.value_sum END,"
          + " value_min = CASE WHEN iot_rollups.value_min IS NULL"
          + "   OR excluded.value_min < iot_rollups.value_min THEN excluded.value_min"
          + "   ELSE iot_rollups.value_min END,"
          + " value_max = CASE WHEN iot_rollups.value_max IS NULL"
          + "   OR excluded.value_max > iot_rollups.value_max THEN excluded.value_max"
          + "   ELSE iot_rollups.value_max END,"
          + " open_count = iot_rollups.open_count + excluded.open_count,"
          + " unit = COALESCE(excluded.unit, iot_rollups.unit)";

  /** One stored raw reading. */
  public record Reading(
      long ts, Double value, String unit, Boolean open, String state, String attributesJson) {}

  /** One rollup bucket; {@code avg}, {@code min}, {@code max} are null for non-numeric devices. */
  public record Bucket(
      long bucket, Double avg, Double min, Double max, long count, String unit, long openCount) {}

  /** What retention deleted. */
  public record Retention(int rawDeleted, int rollupsDeleted, int batchesDeleted) {}

  private final Jdbi jdbi;

  public TelemetryStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Inserts in a transaction of its own; how many were new. */
  public int insert(List<TelemetryEvent> events, String source, long receivedAt) {
    return jdbi.inTransaction(h -> insert(h, events, source, receivedAt));
  }

  /**
   * Inserts readings in the caller's transaction, ignoring those already stored (same device and
   * event time), and adds the new ones to their rollups. Returns how many were new.
   */
  public int insert(Handle h, List<TelemetryEvent> events, String source, long receivedAt) {
    try {
      return insert(h.getConnection(), events, source, receivedAt);
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException("storing IoT readings failed: " + e, e, null);
    }
  }

  private static int insert(
      Connection c, List<TelemetryEvent> events, String source, long receivedAt)
      throws SQLException {
    if (events.isEmpty()) {
      return 0;
    }
    List<TelemetryEvent> inserted = new ArrayList<>(events.size());
    for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
      List<TelemetryEvent> chunk =
          events.subList(from, Math.min(events.size(), from + ROWS_PER_INSERT));
      inserted.addAll(insertChunk(c, chunk, source, receivedAt));
    }
    updateRollups(c, inserted);
    return inserted.size();
  }

  private static List<TelemetryEvent> insertChunk(
      Connection c, List<TelemetryEvent> chunk, String source, long receivedAt)
      throws SQLException {
    StringBuilder sql = new StringBuilder("INSERT INTO iot_readings (" + COLUMNS + ") VALUES ");
    for (int i = 0; i < chunk.size(); i++) {
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?)");
    }
    sql.append(" ON CONFLICT (tenant_id, device_id, ts) DO NOTHING RETURNING device_id, ts");
    Map<String, TelemetryEvent> byKey = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int p = 1;
      for (TelemetryEvent e : chunk) {
        byKey.putIfAbsent(e.deviceId() + "\u0000" + e.tsMillis(), e);
        ps.setString(p++, e.tenantId());
        ps.setString(p++, e.deviceId());
        ps.setLong(p++, e.tsMillis());
        ps.setString(p++, e.locationId());
        ps.setString(p++, e.deviceType().wireName());
        setDouble(ps, p++, e.value());
        ps.setString(p++, e.unit());
        if (e.open() == null) {
          ps.setNull(p++, Types.SMALLINT);
        } else {
          ps.setShort(p++, (short) (e.open() ? 1 : 0));
        }
        ps.setString(p++, e.state());
        ps.setString(p++, e.attributesJson());
        ps.setString(p++, source);
        ps.setLong(p++, receivedAt);
      }
      List<TelemetryEvent> inserted = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TelemetryEvent e = byKey.get(rs.getString(1) + "\u0000" + rs.getLong(2));
          if (e != null) {
            inserted.add(e);
          }
        }
      }
      return inserted;
    }
  }

  private static final class Acc {
    final String locationId;
    String unit;
    long count;
    long valueCount;
    Double sum;
    Double min;
    Double max;
    long openCount;

    Acc(String locationId) {
      this.locationId = locationId;
    }

    void add(TelemetryEvent e) {
      count++;
      if (e.unit() != null) {
        unit = e.unit();
      }
      if (e.value() != null) {
        double v = e.value();
        valueCount++;
        sum = sum == null ? v : sum + v;
        min = min == null ? v : Math.min(min, v);
        max = max == null ? v : Math.max(max, v);
      }
      if (Boolean.TRUE.equals(e.open())) {
        openCount++;
      }
    }
  }

  private record Key(String tenantId, String deviceId, int resolution, long bucket) {}

  private static void updateRollups(Connection c, List<TelemetryEvent> inserted)
      throws SQLException {
    if (inserted.isEmpty()) {
      return;
    }
    Map<Key, Acc> groups = new LinkedHashMap<>();
    for (TelemetryEvent e : inserted) {
      for (int res : RESOLUTIONS) {
        groups
            .computeIfAbsent(
                new Key(e.tenantId(), e.deviceId(), res, bucketStart(e.tsMillis(), res)),
                k -> new Acc(e.locationId()))
            .add(e);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(UPSERT_ROLLUP)) {
      for (Map.Entry<Key, Acc> g : groups.entrySet()) {
        Key k = g.getKey();
        Acc a = g.getValue();
        ps.setString(1, k.tenantId());
        ps.setString(2, k.deviceId());
        ps.setInt(3, k.resolution());
        ps.setLong(4, k.bucket());
        ps.setString(5, a.locationId);
        ps.setString(6, a.unit);
        ps.setLong(7, a.count);
        ps.setLong(8, a.valueCount);
        setDouble(ps, 9, a.sum);
        setDouble(ps, 10, a.min);
        setDouble(ps, 11, a.max);
        ps.setLong(12, a.openCount);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The start of the bucket of {@code resolutionSeconds} holding {@code ts}. */
  public static long bucketStart(long ts, int resolutionSeconds) {
    long width = resolutionSeconds * 1000L;
    return Math.floorDiv(ts, width) * width;
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  // ---- reads ----

  /** Raw readings of a device in {@code [from, to]}, oldest first, at most {@code limit}. */
  public List<Reading> raw(String tenantId, String deviceId, long from, long to, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT ts, value, unit, door_open, state, attributes FROM iot_readings"
                        + " WHERE tenant_id = :t AND device_id = :d AND ts >= :from AND ts <= :to"
                        + " ORDER BY ts LIMIT :limit")
                .bind("t", tenantId)
                .bind("d", deviceId)
                .bind("from", from)
                .bind("to", to)
                .bind("limit", limit)
                .map(
                    (rs, ctx) -> {
                      double v = rs.getDouble(2);
                      Double value = rs.wasNull() ? null : v;
                      int o = rs.getInt(4);
                      Boolean open = rs.wasNull() ? null : o != 0;
                      return new Reading(
                          rs.getLong(1),
                          value,
                          rs.getString(3),
                          open,
                          rs.getString(5),
                          rs.getString(6));
                    })
                .list());
  }

  /** Rollup buckets of a device at {@code resolution} seconds starting in {@code [from, to]}. */
  public List<Bucket> rollups(
      String tenantId, String deviceId, int resolution, long from, long to, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT bucket, value_sum, value_count, value_min, value_max, reading_count,"
                        + " unit, open_count FROM iot_rollups WHERE tenant_id = :t"
                        + " AND device_id = :d AND resolution = :r AND bucket >= :from"
                        + " AND bucket <= :to ORDER BY bucket LIMIT :limit")
                .bind("t", tenantId)
                .bind("d", deviceId)
                .bind("r", resolution)
                .bind("from", bucketStart(from, resolution))
                .bind("to", to)
                .bind("limit", limit)
                .map(
                    (rs, ctx) -> {
                      double sum = rs.getDouble(2);
                      boolean noSum = rs.wasNull();
                      long n = rs.getLong(3);
                      double min = rs.getDouble(4);
                      Double minV = rs.wasNull() ? null : min;
                      double max = rs.getDouble(5);
                      Double maxV = rs.wasNull() ? null : max;
                      return new Bucket(
                          rs.getLong(1),
                          noSum || n == 0 ? null : sum / n,
                          minV,
                          maxV,
                          rs.getLong(6),
                          rs.getString(7),
                          rs.getLong(8));
                    })
                .list());
  }

  /** The latest reading of each of a tenant's devices that has one. */
  public Map<String, Reading> latest(String tenantId, List<String> deviceIds) {
    Map<String, Reading> out = new LinkedHashMap<>();
    jdbi.useHandle(
        h -> {
          for (String d : deviceIds) {
            h.createQuery(
                    "SELECT ts, value, unit, door_open, state, attributes FROM iot_readings"
                        + " WHERE tenant_id = :t AND device_id = :d ORDER BY ts DESC LIMIT 1")
                .bind("t", tenantId)
                .bind("d", d)
                .map(
                    (rs, ctx) -> {
                      double v = rs.getDouble(2);
                      Double value = rs.wasNull() ? null : v;
                      int o = rs.getInt(4);
                      Boolean open = rs.wasNull() ? null : o != 0;
                      return new Reading(
                          rs.getLong(1),
                          value,
                          rs.getString(3),
                          open,
                          rs.getString(5),
                          rs.getString(6));
                    })
                .findOne()
                .ifPresent(r -> out.put(d, r));
          }
        });
    return out;
  }

  // ---- retention ----

  /**
   * Deletes raw readings (and batch receipts) older than {@code rawBefore} and rollups whose bucket
   * starts before {@code rollupBefore}. Safe at any moment: a raw reading reaches its rollups in
   * the transaction that stores it, so deleting raw data never loses what a rollup needs.
   */
  public Retention deleteOlderThan(long rawBefore, long rollupBefore) {
    return jdbi.inTransaction(
        h -> {
          int raw =
              h.createUpdate("DELETE FROM iot_readings WHERE ts < :before")
                  .bind("before", rawBefore)
                  .execute();
          int rollups =
              h.createUpdate("DELETE FROM iot_rollups WHERE bucket < :before")
                  .bind("before", rollupBefore)
                  .execute();
          int batches =
              h.createUpdate("DELETE FROM iot_batches WHERE received_at < :before")
                  .bind("before", rawBefore)
                  .execute();
          return new Retention(raw, rollups, batches);
        });
  }
}
