package dev.olympus.edge.config;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The config version tracker: seed 003's {@code sync_state} row (id 1) for this edge's property.
 * Written in the transaction that changes the cache, so the version always describes the cache.
 *
 * @param propertyId the property the cache belongs to (the edge's location)
 * @param version the config version the cache holds ({@code last_sync_version})
 * @param lastSyncAt when the last sync of any kind succeeded
 * @param lastFullSyncAt when the last full sync succeeded; null if none (never after the first)
 * @param status {@code synced}, {@code syncing} or {@code error}
 */
public record ConfigSyncState(
    String propertyId,
    long version,
    Instant lastSyncAt,
    Instant lastFullSyncAt,
    SyncStatus status) {

  /** The id of the one row this edge keeps (one edge serves one property). */
  static final int ROW_ID = 1;

  /** Reads the row; empty before the first successful sync (first boot). */
  public static Optional<ConfigSyncState> read(Handle h) {
    return h.createQuery(
            "SELECT property_id, last_sync_version, last_sync_at, last_full_sync_at, sync_status"
                + " FROM sync_state WHERE id = :id")
        .bind("id", ROW_ID)
        .map(
            (rs, ctx) ->
                new ConfigSyncState(
                    rs.getString(1),
                    rs.getLong(2),
                    Instant.parse(rs.getString(3)),
                    rs.getString(4) == null ? null : Instant.parse(rs.getString(4)),
                    SyncStatus.parse(rs.getString(5))))
        .findOne();
  }

  /** Replaces the row (inside the caller's transaction). */
  static void write(Handle h, ConfigSyncState s) {
    h.createUpdate(
            "INSERT INTO sync_state"
                + " (id, property_id, last_sync_version, last_sync_at, last_full_sync_at,"
                + " sync_status) VALUES (:id, :property, :version, :at, :fullAt, :status)"
                + " ON CONFLICT (id) DO UPDATE SET property_id = excluded.property_id,"
                + " last_sync_version = excluded.last_sync_version,"
                + " last_sync_at = excluded.last_sync_at,"
                + " last_full_sync_at = excluded.last_full_sync_at,"
                + " sync_status = excluded.sync_status")
        .bind("id", ROW_ID)
        .bind("property", s.propertyId())
        .bind("version", s.version())
        .bind("at", s.lastSyncAt().toString())
        .bind("fullAt", s.lastFullSyncAt() == null ? null : s.lastFullSyncAt().toString())
        .bind("status", s.status().wireName())
        .execute();
  }

  /** Sets only the status (no row yet: nothing to mark, the cache is empty anyway). */
  static void writeStatus(Handle h, SyncStatus status) {
    h.execute("UPDATE sync_state SET sync_status = ? WHERE id = ?", status.wireName(), ROW_ID);
  }

  /** The same state with another status. */
  ConfigSyncState withStatus(SyncStatus s) {
    return new ConfigSyncState(propertyId, version, lastSyncAt, lastFullSyncAt, s);
  }
}
