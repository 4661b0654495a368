package dev.olympus.edge.store;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.realtime.ChangeKind;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.outbox.OpIds;
import dev.olympus.edge.outbox.Outbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The edge's records, as its terminals read and write them. A write is applied here at once (the
 * edge is its terminals' server) and committed together with its outbox op, so the cloud hears of
 * every write that a terminal was told succeeded. This is the one writer of the {@code records}
 * table: every change to a record gets the next {@code lan_seq} of the edge's own change stream,
 * taken here in the writing transaction, and is named by its {@link ChangeKind} here, where the
 * record before the change is known. Code that writes records elsewhere would leave its changes out
 * of the LAN's stream. The one statement here that bypasses both the outbox and the stream is
 * {@link #forgetSyncedOrders}, on purpose: removing old synced orders from the edge's disk is
 * housekeeping, not a change the cloud or the terminals must hear of.
 */
public final class RecordStore {
  /** Keyed writes between two prunings of remembered outcomes. */
  private static final int PRUNE_EVERY = 1_000;

  /** Before-states of a pulled page are read in chunks of this many records. */
  private static final int LOOKUP_CHUNK = 400;

  private static final java.util.regex.Pattern FIELD =
      java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final Jdbi jdbi;
  private final Jdbi reads;
  private final HybridLogicalClock hlc;
  private final String nodeId;
  private final Clock clock;
  private final OpIds opIds;
  private final Supplier<SyncConfig> config;
  private final Runnable onWrite;
  private final LanOps lanOps;
  private final AtomicLong keyedWrites = new AtomicLong();
  private final LanWriteCommit group;

  /** A store that remembers keyed writes' outcomes for {@link LanOps.Retention#DEFAULT}. */
  public RecordStore(
      Jdbi jdbi,
      HybridLogicalClock hlc,
      String nodeId,
      Clock clock,
      OpIds opIds,
      Supplier<SyncConfig> config,
      Runnable onWrite) {
    this(
        jdbi,
        hlc,
        nodeId,
        clock,
        opIds,
        config,
        onWrite,
        new LanOps(LanOps.Retention.DEFAULT, clock));
  }

  /**
   * @param hlc the edge's clock: a local write's version is its {@code now()}
   * @param nodeId the edge's node id, the origin of its writes
   * @param config the cached sync configuration (priorities, append-only collections)
   * @param onWrite called after each committed write (the syncer pushes soon after)
   * @param lanOps the outcomes of writes sent with an {@code Idempotency-Key}
   */
  public RecordStore(
      Jdbi jdbi,
      HybridLogicalClock hlc,
      String nodeId,
      Clock clock,
      OpIds opIds,
      Supplier<SyncConfig> config,
      Runnable onWrite,
      LanOps lanOps) {
    this(jdbi, jdbi, hlc, nodeId, clock, opIds, config, onWrite, lanOps);
  }

  /**
   * @param reads where the change stream and single records are read: read-only connections beside
   *     the writer's ({@code Database.reads()}), so the LAN's feed never waits behind a commit's
   *     fsync
   */
  public RecordStore(
      Jdbi jdbi,
      Jdbi reads,
      HybridLogicalClock hlc,
      String nodeId,
      Clock clock,
      OpIds opIds,
      Supplier<SyncConfig> config,
      Runnable onWrite,
      LanOps lanOps) {
    this.jdbi = jdbi;
    this.reads = reads;
    this.hlc = hlc;
    this.nodeId = nodeId;
    this.clock = clock;
    this.opIds = opIds;
    this.config = config;
    this.onWrite = onWrite;
    this.lanOps = lanOps;
    this.group = new LanWriteCommit(jdbi);
    jdbi.useHandle(lanOps::loadRefusals);
  }

  /**
   * A committed write and whether it created the record (or revived a tombstone).
   *
   * @param repeated the write's {@code Idempotency-Key} was seen before: nothing was written, and
   *     {@code record} is the record as it is now
   */
  public record WriteResult(LocalRecord record, boolean created, boolean repeated) {
    WriteResult(LocalRecord record, boolean created) {
      this(record, created, false);
    }
  }

  /** The record, tombstones included. */
  public Optional<LocalRecord> find(String collection, String id) {
    return reads.withHandle(h -> find(h, collection, id));
  }

  /** Live records of a collection by id, after {@code afterId} (exclusive; null for the start). */
  public List<LocalRecord> list(String collection, String afterId, int limit) {
    return reads.withHandle(
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

  /**
   * Live records of a collection whose top-level {@code field} is {@code value}, by id: a business
   * date's orders and payments for a report.
   */
  public List<LocalRecord> listBy(String collection, String field, String value) {
    if (!FIELD.matcher(field).matches()) {
      throw new IllegalArgumentException(
          "field '" + field + "' is not a field name (lower-case letters, digits, _)");
    }
    return reads.withHandle(h -> listBy(h, collection, field, value));
  }

  /**
   * {@link #listBy(String, String, String)} on the caller's handle. The collection and the field
   * are written into the statement (both checked against {@link #FIELD}), so that a partial
   * expression index such as {@code json_extract(data, '$.item_id') WHERE collection =
   * 'inventory_movements'} serves it: SQLite matches an index's expression and condition only
   * against literals.
   */
  public static List<LocalRecord> listBy(Handle h, String collection, String field, String value) {
    if (!FIELD.matcher(field).matches() || !FIELD.matcher(collection).matches()) {
      throw new IllegalArgumentException(
          "'" + collection + "." + field + "' is not a collection and field name");
    }
    return h.createQuery(
            "SELECT collection, id, data, version, origin, server_version, deleted"
                + " FROM records WHERE collection = '"
                + collection
                + "' AND deleted = 0 AND json_extract(data, '$."
                + field
                + "') = ? ORDER BY id")
        .bind(0, value)
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /** The refusal remembered for the write first sent with this Idempotency-Key, if it was one. */
  public Optional<LanOps.Outcome> rememberedRefusal(String idempotencyKey) {
    if (!lanOps.mayHaveRefused(idempotencyKey)) {
      return Optional.empty();
    }
    return reads
        .withHandle(h -> lanOps.find(h, idempotencyKey))
        .filter(first -> first.error().isPresent());
  }

  /**
   * Remembers that the write sent with {@code idempotencyKey} was refused, so that its retry is
   * answered with the same refusal instead of being decided again (the refused transaction rolled
   * back, and took nothing with it). A key already remembered keeps its first outcome.
   */
  public void rememberRefusal(
      String idempotencyKey, String collection, String recordId, int status, ApiError error) {
    group.run(
        h -> {
          lanOps.remember(h, idempotencyKey, collection, recordId, status, error);
          return null;
        });
  }

  /** Replaces (or creates) a record. */
  public WriteResult put(
      String collection, String id, Map<String, Object> data, OptionalLong ifMatch) {
    return write(collection, id, OpAction.PUT, data, ifMatch, null);
  }

  /**
   * Replaces (or creates) a record once per {@code idempotencyKey}: a key seen before is answered
   * with its first outcome and the current record, and nothing is written.
   *
   * @param idempotencyKey the terminal's op id for this write, which becomes the op id of its
   *     outbox op (so the cloud's op-id dedup covers a retry that later goes to the cloud); null
   *     for a write without one
   */
  public WriteResult put(
      String collection,
      String id,
      Map<String, Object> data,
      OptionalLong ifMatch,
      String idempotencyKey) {
    return write(collection, id, OpAction.PUT, data, ifMatch, idempotencyKey);
  }

  /** Changes some fields of a live record. */
  public WriteResult patch(
      String collection, String id, Map<String, Object> fields, OptionalLong ifMatch) {
    return patch(collection, id, fields, ifMatch, null);
  }

  /**
   * Changes some fields of a live record, once per key (see {@link #put(String, String, Map,
   * OptionalLong, String)}).
   */
  public WriteResult patch(
      String collection,
      String id,
      Map<String, Object> fields,
      OptionalLong ifMatch,
      String idempotencyKey) {
    if (fields.isEmpty()) {
      throw new WriteRefusedException(
          400, new ApiError("empty_patch", "a patch needs at least one field to change", "data"));
    }
    return write(collection, id, OpAction.PATCH, fields, ifMatch, idempotencyKey);
  }

  /** Deletes a record, leaving a tombstone. */
  public WriteResult delete(String collection, String id, OptionalLong ifMatch) {
    return delete(collection, id, ifMatch, null);
  }

  /**
   * Deletes a record once per key (see {@link #put(String, String, Map, OptionalLong, String)}).
   */
  public WriteResult delete(
      String collection, String id, OptionalLong ifMatch, String idempotencyKey) {
    return write(collection, id, OpAction.DELETE, Map.of(), ifMatch, idempotencyKey);
  }

  /**
   * Writes many whole records of one collection in one transaction (an import, a load generator's
   * backlog): the same record-plus-outbox semantics as {@link #put}, one commit.
   */
  public List<WriteResult> putAll(String collection, Map<String, Map<String, Object>> byId) {
    List<WriteResult> results =
        jdbi.inTransaction(
            h -> {
              List<WriteResult> out = new ArrayList<>(byId.size());
              // One block of numbers for the whole batch: a statement per record adds up.
              long[] seq = {reserveLanSeqs(h, byId.size())};
              for (Map.Entry<String, Map<String, Object>> e : byId.entrySet()) {
                out.add(
                    writeIn(
                        h,
                        collection,
                        e.getKey(),
                        OpAction.PUT,
                        e.getValue(),
                        OptionalLong.empty(),
                        opIds.next(),
                        () -> seq[0]++));
              }
              return out;
            });
    committed();
    return results;
  }

  /**
   * Runs {@code work} as one transaction of record writes that commit together or not at all (an
   * order with its number, a payment with its settlement entry and its order's new balance). It
   * runs inside the group commit, where writes happen one at a time, so what {@code work} reads
   * cannot change before it writes. An exception from {@code work} rolls all of it back and is
   * thrown here.
   */
  public <T> T inTransaction(Function<Tx, T> work) {
    Tx[] tx = new Tx[1];
    T result =
        group.run(
            h -> {
              tx[0] = new Tx(h, false);
              return work.apply(tx[0]);
            });
    if (tx[0] != null && tx[0].wrote) {
      committed();
    }
    return result;
  }

  /**
   * Creates a record under a new id once per Idempotency-Key (a time punch, a stock movement): for
   * a key seen before nothing is written, and the record that key created is returned.
   *
   * @param idempotencyKey the terminal's key, also the outbox op's id; null for a write without one
   */
  public WriteResult insert(
      String collection, String id, Map<String, Object> data, String idempotencyKey) {
    return inTransaction(
        tx -> {
          if (idempotencyKey != null) {
            Optional<LanOps.Outcome> seen = tx.seen(idempotencyKey);
            if (seen.isPresent()) {
              LanOps.Outcome first = seen.get();
              if (!first.collection().equals(collection)) {
                throw new WriteRefusedException(
                    409,
                    first.reusedBy(
                        idempotencyKey, ": send a new key (a UUIDv7) with each new write"));
              }
              if (first.error().isPresent()) {
                throw new WriteRefusedException(first.status(), first.error().get());
              }
              LocalRecord now =
                  tx.find(collection, first.recordId())
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  collection + "/" + first.recordId() + " is gone"));
              return new WriteResult(now, true, true);
            }
          }
          LocalRecord written = tx.put(collection, id, data, idempotencyKey);
          if (idempotencyKey != null) {
            tx.remember(idempotencyKey, collection, id, 201);
          }
          return new WriteResult(written, true, false);
        });
  }

  /**
   * Record writes inside a transaction the caller already holds (the settlement queue's, when the
   * processor answers). The LAN stream and the syncer are woken when that transaction commits.
   */
  public Tx join(Handle h) {
    return new Tx(h, true);
  }

  /** Writes inside one transaction: see {@link #inTransaction} and {@link #join}. */
  public final class Tx {
    private final Handle h;
    private final boolean joined;
    private boolean wrote;

    private Tx(Handle h, boolean joined) {
      this.h = h;
      this.joined = joined;
    }

    /** The transaction's handle, for tables of the same database (counters, queues). */
    public Handle handle() {
      return h;
    }

    /** The record as this transaction sees it, tombstones included. */
    public Optional<LocalRecord> find(String collection, String id) {
      return RecordStore.find(h, collection, id);
    }

    /** Live records of a collection whose top-level {@code field} is {@code value}, by id. */
    public List<LocalRecord> listBy(String collection, String field, String value) {
      return RecordStore.listBy(h, collection, field, value);
    }

    /** Replaces (or creates) a record; its outbox op gets a new op id. */
    public LocalRecord put(String collection, String id, Map<String, Object> data) {
      return put(collection, id, data, null);
    }

    /**
     * Replaces (or creates) a record.
     *
     * @param opId the outbox op's id (a terminal's Idempotency-Key), or null for a new one
     */
    public LocalRecord put(String collection, String id, Map<String, Object> data, String opId) {
      return write(collection, id, OpAction.PUT, data, opId).record();
    }

    /** Changes some fields of a live record. */
    public LocalRecord patch(String collection, String id, Map<String, Object> fields) {
      return write(collection, id, OpAction.PATCH, fields, null).record();
    }

    /** The first outcome of a write made with this Idempotency-Key, if remembered. */
    public Optional<LanOps.Outcome> seen(String idempotencyKey) {
      return lanOps.find(h, idempotencyKey);
    }

    /** Remembers that the write made with this key answered {@code status} for that record. */
    public void remember(String idempotencyKey, String collection, String id, int status) {
      lanOps.remember(h, idempotencyKey, collection, id, status, null);
    }

    private WriteResult write(
        String collection, String id, OpAction action, Map<String, Object> data, String opId) {
      WriteResult w =
          writeIn(
              h,
              collection,
              id,
              action,
              data,
              OptionalLong.empty(),
              opId != null ? opId : opIds.next(),
              () -> reserveLanSeqs(h, 1));
      if (joined && !wrote) {
        ChangeSignal.afterCommit(h);
        h.afterCommit(onWrite::run);
      }
      wrote = true;
      return w;
    }
  }

  private WriteResult write(
      String collection,
      String id,
      OpAction action,
      Map<String, Object> data,
      OptionalLong ifMatch,
      String key) {
    if (key == null) {
      WriteResult result =
          group.run(
              h ->
                  writeIn(
                      h,
                      collection,
                      id,
                      action,
                      data,
                      ifMatch,
                      opIds.next(),
                      () -> reserveLanSeqs(h, 1)));
      committed();
      return result;
    }
    boolean prune = keyedWrites.getAndIncrement() % PRUNE_EVERY == 0;
    WriteResult result;
    try {
      result =
          group.run(
              h -> {
                Optional<LanOps.Outcome> seen = lanOps.find(h, key);
                if (seen.isPresent()) {
                  return repeat(h, key, collection, id, seen.get());
                }
                WriteResult w =
                    writeIn(
                        h, collection, id, action, data, ifMatch, key, () -> reserveLanSeqs(h, 1));
                lanOps.remember(h, key, collection, id, w.created() ? 201 : 200, null);
                if (prune) {
                  lanOps.prune(h);
                }
                return w;
              });
    } catch (WriteRefusedException e) {
      if (!LanOps.KEY_REUSED.equals(e.error().code())) {
        // The write rolled back; its refusal is its outcome, answered again to a retry.
        group.run(
            h -> {
              lanOps.remember(h, key, collection, id, e.status(), e.error());
              return null;
            });
      }
      throw e;
    }
    if (!result.repeated()) {
      committed();
    }
    return result;
  }

  private static WriteResult repeat(
      Handle h, String key, String collection, String id, LanOps.Outcome first) {
    if (!first.collection().equals(collection) || !first.recordId().equals(id)) {
      throw new WriteRefusedException(
          409,
          first.reusedBy(
              key,
              ", not "
                  + collection
                  + "/"
                  + id
                  + ": a key names one write, send a new one (a UUIDv7) with each new write"));
    }
    if (first.error().isPresent()) {
      throw new WriteRefusedException(first.status(), first.error().get());
    }
    LocalRecord now =
        find(h, collection, id)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        collection + "/" + id + " was written under key " + key + " but is gone"));
    return new WriteResult(now, first.status() == 201, true);
  }

  private void committed() {
    onWrite.run();
    ChangeSignal.of(jdbi).fire();
  }

  private WriteResult writeIn(
      Handle h,
      String collection,
      String id,
      OpAction action,
      Map<String, Object> data,
      OptionalLong ifMatch,
      String opId,
      LongSupplier lanSeq) {
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
    ChangeKind kind =
        ChangeKind.of(collection, live ? current.get().data() : null, next.data(), next.deleted());
    upsert(h, next, kind.action(), lanSeq.getAsLong());
    Outbox.append(
        h,
        opId,
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

  private static void upsert(Handle h, LocalRecord r, String action, long lanSeq) {
    h.createUpdate(
            "INSERT INTO records (collection, id, data, version, origin, server_version, deleted,"
                + " change_action, lan_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data,"
                + " version = excluded.version, origin = excluded.origin,"
                + " server_version = excluded.server_version, deleted = excluded.deleted,"
                + " change_action = excluded.change_action, lan_seq = excluded.lan_seq")
        .bind(0, r.collection())
        .bind(1, r.id())
        .bind(2, Json.write(r.data()))
        .bind(3, r.version())
        .bind(4, r.origin())
        .bind(5, r.serverVersion())
        .bind(6, r.deleted() ? 1 : 0)
        .bind(7, action)
        .bind(8, lanSeq)
        .execute();
  }

  /**
   * Takes {@code n} numbers of the edge's change stream inside the caller's transaction and returns
   * the first. Numbers taken by a transaction that rolls back are given again (the counter rolls
   * back too); one taken for a write that then writes nothing (an append-only insert re-sent) is
   * never seen (only in {@link #putAll}, which takes a block), a gap that {@code prev_seq} already
   * tells clients to expect.
   */
  private static long reserveLanSeqs(Handle h, int n) {
    long last =
        h.createQuery(
                "UPDATE lan_stream SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq")
            .bind(0, n)
            .mapTo(Long.class)
            .one();
    return last - n + 1;
  }

  /**
   * Stores records the cloud holds as canonical (push answers, pulled changes) inside the caller's
   * transaction, except where a local write to the same record is still queued: that write is newer
   * than what the cloud has seen, and the cloud will answer it in turn. Each stored change is named
   * against the record it replaces, and the edge's change stream is woken once the caller commits.
   *
   * @return how many records changed
   */
  public static int applyCanonical(Handle h, List<RecordState> records) {
    if (records.isEmpty()) {
      return 0;
    }
    Map<String, LocalRecord> current = new HashMap<>();
    Set<String> queued = new HashSet<>();
    findAll(h, records, current, queued);
    List<LocalRecord> replaced = new ArrayList<>(records.size());
    // Which records the statement below changes (its conditions, evaluated here), so that each
    // change gets its number, and only those are sent.
    boolean[] changes = new boolean[records.size()];
    int expected = 0;
    for (int i = 0; i < records.size(); i++) {
      RecordState r = records.get(i);
      String k = key(r.collection(), r.id());
      LocalRecord old = current.get(k);
      replaced.add(old);
      changes[i] =
          !queued.contains(k)
              && (old == null
                  || old.version() != r.version()
                  || old.serverVersion() != r.version()
                  || old.deleted() != r.deleted());
      if (changes[i]) {
        expected++;
        // Two states of one record in one call: the second replaces the first.
        current.put(
            k,
            new LocalRecord(
                r.collection(),
                r.id(),
                r.data(),
                r.version(),
                r.origin(),
                r.version(),
                r.deleted()));
      }
    }
    if (expected == 0) {
      return 0;
    }
    long seq = reserveLanSeqs(h, expected);
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO records (collection, id, data, version, origin, server_version, deleted,"
                + " change_action, lan_seq) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
                + " (SELECT 1 FROM outbox o WHERE o.collection = ? AND o.record_id = ?)"
                + " ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data,"
                + " version = excluded.version, origin = excluded.origin,"
                + " server_version = excluded.server_version, deleted = excluded.deleted,"
                + " change_action = excluded.change_action, lan_seq = excluded.lan_seq"
                + " WHERE records.version <> excluded.version"
                + " OR records.server_version <> excluded.server_version"
                + " OR records.deleted <> excluded.deleted");
    for (int i = 0; i < records.size(); i++) {
      if (!changes[i]) {
        continue;
      }
      RecordState r = records.get(i);
      LocalRecord old = replaced.get(i);
      Map<String, Object> oldData = old == null || old.deleted() ? null : old.data();
      String action = ChangeKind.of(r.collection(), oldData, r.data(), r.deleted()).action();
      batch
          .bind(0, r.collection())
          .bind(1, r.id())
          .bind(2, Json.write(r.data()))
          .bind(3, r.version())
          .bind(4, r.origin())
          .bind(5, r.version())
          .bind(6, r.deleted() ? 1 : 0)
          .bind(7, action)
          .bind(8, seq++)
          .bind(9, r.collection())
          .bind(10, r.id())
          .add();
    }
    int changed = 0;
    for (int n : batch.execute()) {
      changed += n;
    }
    if (changed > 0) {
      ChangeSignal.afterCommit(h);
    }
    return changed;
  }

  private static String key(String collection, String id) {
    return collection + '\u0000' + id;
  }

  /**
   * Reads the stored records among {@code records} (by {@link #key}) and the keys of those with an
   * op still queued in the outbox, a chunk at a time.
   */
  private static void findAll(
      Handle h, List<RecordState> records, Map<String, LocalRecord> found, Set<String> queued) {
    for (int from = 0; from < records.size(); from += LOOKUP_CHUNK) {
      List<RecordState> chunk =
          records.subList(from, Math.min(records.size(), from + LOOKUP_CHUNK));
      var q = h.createQuery(storedAmongSql(chunk.size()));
      var o = h.createQuery(queuedAmongSql(chunk.size()));
      int i = 0;
      for (RecordState r : chunk) {
        q.bind(i, r.collection()).bind(i + 1, r.id());
        o.bind(i, r.collection()).bind(i + 1, r.id());
        i += 2;
      }
      q.map((rs, ctx) -> read(rs)).forEach(r -> found.put(key(r.collection(), r.id()), r));
      o.map((rs, ctx) -> key(rs.getString(1), rs.getString(2))).forEach(queued::add);
    }
  }

  /**
   * The stored records among {@code n} (collection, id) pairs. A join from the pairs, so that each
   * is a primary-key search: {@code (collection, id) IN (VALUES …)} made SQLite scan the whole
   * table for every chunk of every pull.
   */
  static String storedAmongSql(int n) {
    return keysCte(n)
        + " SELECT r.collection, r.id, r.data, r.version, r.origin, r.server_version, r.deleted"
        + " FROM k JOIN records r ON r.collection = k.c AND r.id = k.i";
  }

  /** Which of {@code n} (collection, id) pairs have an op queued in the outbox. */
  static String queuedAmongSql(int n) {
    return keysCte(n)
        + " SELECT DISTINCT o.collection, o.record_id FROM k"
        + " JOIN outbox o ON o.collection = k.c AND o.record_id = k.i";
  }

  private static String keysCte(int n) {
    StringBuilder sql = new StringBuilder(24 + 8 * n).append("WITH k(c, i) AS (VALUES ");
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
    }
    return sql.append(')').toString();
  }

  /** Live records of a collection held locally (tombstones not counted). */
  public long countLive(String collection) {
    return reads.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM records WHERE collection = ? AND deleted = 0")
                .bind(0, collection)
                .mapTo(Long.class)
                .one());
  }

  /** The collection of orders, and of the records that belong to an order by their order_id. */
  private static final String ORDERS = "orders";

  private static final List<String> ORDER_PARTS = List.of("payments", "payment_settlements");

  /**
   * What one pruning removed from the local records.
   *
   * @param orders orders removed
   * @param parts their payments and settlement answers removed
   * @param kept old orders kept because one of their payments (or settlement answers) is not synced
   *     yet or changed after the cutoff; orders with an unsynced op of their own are not counted
   */
  public record Pruned(int orders, int parts, int kept) {
    public static final Pruned NONE = new Pruned(0, 0, 0);

    Pruned plus(Pruned o) {
      return new Pruned(orders + o.orders, parts + o.parts, kept + o.kept);
    }
  }

  /**
   * Removes the local copies of synced orders last changed before {@code cutoff} (by their
   * version's wall-clock time), with their payments and settlement answers, {@code chunk} orders
   * per transaction so terminals' writes wait for a short one at most. An order stays when it or
   * one of its parts still has an op in the outbox, an op the cloud sent to review, a remembered
   * Idempotency-Key (a terminal's retry must find its record), a part changed after the cutoff, or
   * a card payment still waiting for settlement.
   *
   * <p>This is the one exception to "RecordStore is the only writer through its write paths": it is
   * local housekeeping, not a change. The cloud keeps these records, so it must not hear of it (no
   * outbox op, no version), and terminals must not delete their copies (no {@code lan_seq}, no
   * change frame); the rows simply leave this edge's disk. It lives here, next to the writers, so
   * that every statement that touches {@code records} is in this class.
   */
  public Pruned forgetSyncedOrders(java.time.Instant cutoff, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1, was " + chunk);
    }
    long before = HybridLogicalClock.encode(Math.max(0, cutoff.toEpochMilli()), 0);
    Pruned total = Pruned.NONE;
    String[] after = {""};
    while (true) {
      Pruned[] done = {Pruned.NONE};
      boolean more =
          jdbi.inTransaction(
              h -> {
                List<String> old =
                    h.createQuery(
                            "SELECT r.id FROM records r WHERE r.collection = 'orders' AND r.id > ?"
                                + " AND r.version < ?"
                                + " AND NOT EXISTS (SELECT 1 FROM outbox o"
                                + "   WHERE o.collection = 'orders' AND o.record_id = r.id)"
                                + " AND NOT EXISTS (SELECT 1 FROM dead_letters d"
                                + "   WHERE d.collection = 'orders' AND d.record_id = r.id)"
                                + " AND NOT EXISTS (SELECT 1 FROM card_settlements c"
                                + "   WHERE c.status = 'pending' AND c.order_id = r.id)"
                                + " AND r.id NOT IN"
                                + "   (SELECT record_id FROM lan_ops WHERE collection = 'orders')"
                                + " ORDER BY r.id LIMIT ?")
                        .bind(0, after[0])
                        .bind(1, before)
                        .bind(2, chunk)
                        .mapTo(String.class)
                        .list();
                if (old.isEmpty()) {
                  return false;
                }
                after[0] = old.get(old.size() - 1);
                // The parts of these orders, and whether each may go.
                record Part(String collection, String id, String orderId, boolean blocked) {}
                List<Part> parts =
                    h.createQuery(
                            "SELECT p.collection, p.id, json_extract(p.data, '$.order_id'),"
                                + " p.version >= ?"
                                + " OR EXISTS (SELECT 1 FROM outbox o"
                                + "   WHERE o.collection = p.collection AND o.record_id = p.id)"
                                + " OR EXISTS (SELECT 1 FROM dead_letters d"
                                + "   WHERE d.collection = p.collection AND d.record_id = p.id)"
                                + " OR (p.collection, p.id) IN"
                                + "   (SELECT collection, record_id FROM lan_ops)"
                                + " FROM records p WHERE p.collection IN (?, ?)"
                                + " AND json_extract(p.data, '$.order_id')"
                                + "   IN (SELECT value FROM json_each(?))")
                        .bind(0, before)
                        .bind(1, ORDER_PARTS.get(0))
                        .bind(2, ORDER_PARTS.get(1))
                        .bind(3, Json.write(old))
                        .map(
                            (rs, ctx) ->
                                new Part(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getInt(4) != 0))
                        .list();
                Set<String> keep = new HashSet<>();
                for (Part p : parts) {
                  if (p.blocked()) {
                    keep.add(p.orderId());
                  }
                }
                PreparedBatch delete =
                    h.prepareBatch("DELETE FROM records WHERE collection = ? AND id = ?");
                int orders = 0;
                int removedParts = 0;
                for (String id : old) {
                  if (!keep.contains(id)) {
                    delete.bind(0, ORDERS).bind(1, id).add();
                    orders++;
                  }
                }
                for (Part p : parts) {
                  if (!keep.contains(p.orderId())) {
                    delete.bind(0, p.collection()).bind(1, p.id()).add();
                    removedParts++;
                  }
                }
                if (delete.size() > 0) {
                  delete.execute();
                }
                done[0] = new Pruned(orders, removedParts, keep.size());
                return old.size() == chunk;
              });
      total = total.plus(done[0]);
      if (!more) {
        return total;
      }
    }
  }

  /** The last {@code lan_seq} given out: the head of the edge's own change stream. */
  public long latestLanSeq() {
    return reads.withHandle(RecordStore::latestLanSeq);
  }

  public static long latestLanSeq(Handle h) {
    return h.createQuery("SELECT last_seq FROM lan_stream WHERE id = 1").mapTo(Long.class).one();
  }

  /**
   * The latest state of every record changed after {@code since} in the edge's own stream, by
   * {@code lan_seq}, at most {@code limit}; reserved ({@code _}) collections are left out.
   */
  public List<LanChange> changesSince(long since, int limit) {
    return reads.withHandle(
        h ->
            h.createQuery(
                    "SELECT collection, id, data, version, origin, server_version, deleted,"
                        + " lan_seq, change_action FROM records WHERE lan_seq > ?"
                        + " AND substr(collection, 1, 1) <> '_' ORDER BY lan_seq LIMIT ?")
                .bind(0, since)
                .bind(1, limit)
                .map((rs, ctx) -> new LanChange(rs.getLong(8), read(rs), rs.getString(9)))
                .list());
  }
}
