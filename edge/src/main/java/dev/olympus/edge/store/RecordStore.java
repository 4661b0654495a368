package dev.olympus.edge.store;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.outbox.OpIds;
import dev.olympus.edge.outbox.Outbox;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The edge's records, as its terminals read and write them. A write is applied here at once (the
 * edge is its terminals' server) and committed together with its outbox op, so the cloud hears of
 * every write that a terminal was told succeeded.
 */
public final class RecordStore {
  private final Jdbi jdbi;
  private final HybridLogicalClock hlc;
  private final String nodeId;
  private final Clock clock;
  private final OpIds opIds;
  private final Supplier<SyncConfig> config;
  private final Runnable onWrite;

  /**
   * @param hlc the edge's clock: a local write's version is its {@code now()}
   * @param nodeId the edge's node id, the origin of its writes
   * @param config the cached sync configuration (priorities, append-only collections)
   * @param onWrite called after each committed write (the syncer pushes soon after)
   */
  public RecordStore(
      Jdbi jdbi,
      HybridLogicalClock hlc,
      String nodeId,
      Clock clock,
      OpIds opIds,
      Supplier<SyncConfig> config,
      Runnable onWrite) {
    this.jdbi = jdbi;
    this.hlc = hlc;
    this.nodeId = nodeId;
    this.clock = clock;
    this.opIds = opIds;
    this.config = config;
    this.onWrite = onWrite;
  }

  /** A committed write and whether it created the record (or revived a tombstone). */
  public record WriteResult(LocalRecord record, boolean created) {}

  /** The record, tombstones included. */
  public Optional<LocalRecord> find(String collection, String id) {
    return jdbi.withHandle(h -> find(h, collection, id));
  }

  /** Live records of a collection by id, after {@code afterId} (exclusive; null for the start). */
  public List<LocalRecord> list(String collection, String afterId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT collection, id, data, version, origin, server_version, deleted"
                        + " FROM records WHERE collection = ? AND id > ? AND deleted = 0"
                        + " ORDER BY id LIMIT ?")
                .bind(0, collection)
                .bind(1, afterId == null ? "" : afterId)
                .bind(2, limit)
                .map((rs, ctx) -> read(rs))
                .list());
  }

  /** Replaces (or creates) a record. */
  public WriteResult put(
      String collection, String id, Map<String, Object> data, OptionalLong ifMatch) {
    return write(collection, id, OpAction.PUT, data, ifMatch);
  }

  /** Changes some fields of a live record. */
  public WriteResult patch(
      String collection, String id, Map<String, Object> fields, OptionalLong ifMatch) {
    if (fields.isEmpty()) {
      throw new WriteRefusedException(
          400, new ApiError("empty_patch", "a patch needs at least one field to change", "data"));
    }
    return write(collection, id, OpAction.PATCH, fields, ifMatch);
  }

  /** Deletes a record, leaving a tombstone. */
  public WriteResult delete(String collection, String id, OptionalLong ifMatch) {
    return write(collection, id, OpAction.DELETE, Map.of(), ifMatch);
  }

  /**
   * Writes many whole records of one collection in one transaction (an import, a load generator's
   * backlog): the same record-plus-outbox semantics as {@link #put}, one commit.
   */
  public List<WriteResult> putAll(String collection, Map<String, Map<String, Object>> byId) {
    List<WriteResult> results =
        jdbi.inTransaction(
            h -> {
              List<WriteResult> out = new java.util.ArrayList<>(byId.size());
              for (Map.Entry<String, Map<String, Object>> e : byId.entrySet()) {
                out.add(
                    writeIn(
                        h,
                        collection,
                        e.getKey(),
                        OpAction.PUT,
                        e.getValue(),
                        OptionalLong.empty()));
              }
              return out;
            });
    onWrite.run();
    return results;
  }

  private WriteResult write(
      String collection,
      String id,
      OpAction action,
      Map<String, Object> data,
      OptionalLong ifMatch) {
    WriteResult result = jdbi.inTransaction(h -> writeIn(h, collection, id, action, data, ifMatch));
    onWrite.run();
    return result;
  }

  private WriteResult writeIn(
      Handle h,
      String collection,
      String id,
      OpAction action,
      Map<String, Object> data,
      OptionalLong ifMatch) {
    CollectionPolicy policy = config.get().policyFor(collection);
    Optional<LocalRecord> current = find(h, collection, id);
    boolean live = current.isPresent() && !current.get().deleted();
    if (ifMatch.isPresent()
        && current.map(LocalRecord::version).orElse(0L) != ifMatch.getAsLong()) {
      throw new WriteRefusedException(
          409,
          new ApiError(
              "conflict",
              collection
                  + "/"
                  + id
                  + " is at version "
                  + current.map(LocalRecord::version).orElse(0L)
                  + ", not "
                  + ifMatch.getAsLong()
                  + " (If-Match): GET it again and retry",
              "If-Match"));
    }
    if (action != OpAction.PUT && !live) {
      if (action == OpAction.DELETE && current.isPresent()) {
        return new WriteResult(current.get(), false); // already a tombstone
      }
      throw new WriteRefusedException(
          404,
          new ApiError(
              "not_found",
              collection + "/" + id + " does not exist: PUT the whole record first",
              "id"));
    }
    if (policy.strategy().kind() == Strategy.Kind.APPEND_ONLY && current.isPresent()) {
      if (action == OpAction.PUT && live && current.get().data().equals(normal(data))) {
        return new WriteResult(current.get(), false); // the same insert, re-sent
      }
      throw new WriteRefusedException(
          409,
          new ApiError(
              "append_only",
              collection
                  + " is append-only: "
                  + collection
                  + "/"
                  + id
                  + " exists and is never changed or deleted; write a new record (for"
                  + " example a reversal) instead",
              "id"));
    }
    Map<String, Object> newData =
        switch (action) {
          case PUT -> data;
          case PATCH -> {
            Map<String, Object> merged = new LinkedHashMap<>(current.get().data());
            merged.putAll(data);
            yield merged;
          }
          case DELETE -> Map.of();
        };
    long version = hlc.now();
    long baseVersion = current.map(LocalRecord::version).orElse(0L);
    LocalRecord next =
        new LocalRecord(
            collection,
            id,
            newData,
            version,
            nodeId,
            current.map(LocalRecord::serverVersion).orElse(0L),
            action == OpAction.DELETE);
    upsert(h, next);
    Outbox.append(
        h,
        opIds.next(),
        collection,
        id,
        action,
        Json.write(data),
        baseVersion,
        current.map(LocalRecord::origin).orElse(null),
        version,
        policy.priority().rank(),
        clock.millis());
    return new WriteResult(next, !live);
  }

  private static Map<String, Object> normal(Map<String, Object> data) {
    return dev.olympus.core.sync.JsonValues.immutableCopy(data);
  }

  public static Optional<LocalRecord> find(Handle h, String collection, String id) {
    return h.createQuery(
            "SELECT collection, id, data, version, origin, server_version, deleted FROM records"
                + " WHERE collection = ? AND id = ?")
        .bind(0, collection)
        .bind(1, id)
        .map((rs, ctx) -> read(rs))
        .findOne();
  }

  private static LocalRecord read(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new LocalRecord(
        rs.getString(1),
        rs.getString(2),
        Json.readObject(rs.getString(3)),
        rs.getLong(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getInt(7) != 0);
  }

  private static void upsert(Handle h, LocalRecord r) {
    h.createUpdate(
            "INSERT INTO records (collection, id, data, version, origin, server_version, deleted)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET"
                + " data = excluded.data, version = excluded.version, origin = excluded.origin,"
                + " server_version = excluded.server_version, deleted = excluded.deleted")
        .bind(0, r.collection())
        .bind(1, r.id())
        .bind(2, Json.write(r.data()))
        .bind(3, r.version())
        .bind(4, r.origin())
        .bind(5, r.serverVersion())
        .bind(6, r.deleted() ? 1 : 0)
        .execute();
  }

  /**
   * Stores records the cloud holds as canonical (push answers, pulled changes) inside the caller's
   * transaction, except where a local write to the same record is still queued: that write is newer
   * than what the cloud has seen, and the cloud will answer it in turn.
   *
   * @return how many records changed
   */
  public static int applyCanonical(Handle h, List<RecordState> records) {
    if (records.isEmpty()) {
      return 0;
    }
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO records (collection, id, data, version, origin, server_version, deleted)"
                + " SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM outbox o"
                + " WHERE o.collection = ? AND o.record_id = ?)"
                + " ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data,"
                + " version = excluded.version, origin = excluded.origin,"
                + " server_version = excluded.server_version, deleted = excluded.deleted"
                + " WHERE records.version <> excluded.version"
                + " OR records.server_version <> excluded.server_version"
                + " OR records.deleted <> excluded.deleted");
    for (RecordState r : records) {
      batch
          .bind(0, r.collection())
          .bind(1, r.id())
          .bind(2, Json.write(r.data()))
          .bind(3, r.version())
          .bind(4, r.origin())
          .bind(5, r.version())
          .bind(6, r.deleted() ? 1 : 0)
          .bind(7, r.collection())
          .bind(8, r.id())
          .add();
    }
    int changed = 0;
    for (int n : batch.execute()) {
      changed += n;
    }
    return changed;
  }
}
