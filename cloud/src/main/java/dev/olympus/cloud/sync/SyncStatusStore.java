package dev.olympus.cloud.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.olympus.core.sync.SyncConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/** Each location's sync health: last contact, last sync, and what its edge last reported. */
public final class SyncStatusStore {
  /** The status answer, in seed 000's shape plus a few details. */
  public record Status(
      @JsonProperty("location_id") String locationId,
      @JsonProperty("last_sync") String lastSync,
      @JsonProperty("status") String status,
      @JsonProperty("pending_count") long pendingCount,
      @JsonProperty("latency_ms") Long latencyMs,
      @JsonProperty("last_contact") String lastContact,
      @JsonProperty("oldest_pending_age_ms") long oldestPendingAgeMs,
      @JsonProperty("consecutive_failures") int consecutiveFailures) {}

  /** What an edge reports after a cycle. */
  public record Report(
      long pendingCount, long oldestPendingAgeMs, long lastCycleMs, int consecutiveFailures) {}

  // Contact is written at most this often per location, so polling does not cost a write each.
  private static final long TOUCH_EVERY_MILLIS = 1_000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final Map<String, Long> lastTouch = new ConcurrentHashMap<>();

  public SyncStatusStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Records that the location's edge was heard from now. */
  public void touch(String tenantId, String locationId) {
    long now = clock.millis();
    Long previous = lastTouch.get(locationId);
    if (previous != null && now - previous < TOUCH_EVERY_MILLIS) {
      return;
    }
    lastTouch.put(locationId, now);
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO location_sync_status (location_id, tenant_id, last_contact)"
                        + " VALUES (:loc, :t, :now) ON CONFLICT (location_id)"
                        + " DO UPDATE SET last_contact = excluded.last_contact")
                .bind("loc", locationId)
                .bind("t", tenantId)
                .bind("now", now)
                .execute());
  }

  public void report(String tenantId, String locationId, Report r) {
    long now = clock.millis();
    lastTouch.put(locationId, now);
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO location_sync_status (location_id, tenant_id, last_contact,"
                        + " last_sync, pending_count, oldest_pending_age_ms, latency_ms,"
                        + " consecutive_failures) VALUES (:loc, :t, :now, :sync, :pending, :oldest,"
                        + " :latency, :failures) ON CONFLICT (location_id) DO UPDATE SET"
                        + " last_contact = excluded.last_contact,"
                        + " last_sync = COALESCE(excluded.last_sync, location_sync_status.last_sync),"
                        + " pending_count = excluded.pending_count,"
                        + " oldest_pending_age_ms = excluded.oldest_pending_age_ms,"
                        + " latency_ms = excluded.latency_ms,"
                        + " consecutive_failures = excluded.consecutive_failures")
                .bind("loc", locationId)
                .bind("t", tenantId)
                .bind("now", now)
                .bind("sync", r.consecutiveFailures() == 0 ? (Long) now : null)
                .bind("pending", r.pendingCount())
                .bind("oldest", r.oldestPendingAgeMs())
                .bind("latency", r.lastCycleMs())
                .bind("failures", r.consecutiveFailures())
                .execute());
  }

  /** The location's status under its tenant's configuration. */
  public Status status(String locationId, SyncConfig config) {
    record Row(
        Long lastContact, Long lastSync, long pending, long oldest, Long latency, int failures) {}
    Row row =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT last_contact, last_sync, pending_count, oldest_pending_age_ms,"
                            + " latency_ms, consecutive_failures FROM location_sync_status"
                            + " WHERE location_id = :loc")
                    .bind("loc", locationId)
                    .map(
                        (rs, ctx) ->
                            new Row(
                                nullableLong(rs, "last_contact"),
                                nullableLong(rs, "last_sync"),
                                rs.getLong("pending_count"),
                                rs.getLong("oldest_pending_age_ms"),
                                nullableLong(rs, "latency_ms"),
                                rs.getInt("consecutive_failures")))
                    .findOne()
                    .orElse(new Row(null, null, 0, 0, null, 0)));
    long now = clock.millis();
    String status;
    if (row.failures() >= config.retryAttempts()) {
      status = "error";
    } else if (row.lastContact() == null
        || now - row.lastContact() > 3_000L * config.intervalSeconds()) {
      status = "offline";
    } else if (row.pending() > 0) {
      status = "syncing";
    } else {
      status = "synced";
    }
    return new Status(
        locationId,
        iso(row.lastSync()),
        status,
        row.pending(),
        row.latency(),
        iso(row.lastContact()),
        row.oldest(),
        row.failures());
  }

  private static Long nullableLong(java.sql.ResultSet rs, String column)
      throws java.sql.SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static String iso(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }
}
