package dev.olympus.cloud.sync;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.conflict.Application;
import dev.olympus.core.conflict.ChangeApplier;
import dev.olympus.core.realtime.ChangeKind;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.Priority;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.core.sync.UniformFieldVersions;
import dev.olympus.store.GroupCommit;
import dev.olympus.store.PgCopy;
import dev.olympus.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The change log of every tenant: applies pushed ops and serves the change feed.
 *
 * <p>Every write runs in one transaction that first locks the tenant's {@code tenant_seq} row, so
 * the writers of a tenant take turns, {@code seq} numbers are allocated in commit order, and a
 * reader that has seen seq N has seen every change numbered below N. The ops of a request are
 * applied in memory against records loaded in one query per collection, then written with JDBC
 * batches: a push of thousands of ops costs a handful of round trips.
 */
public final class SyncStore {
  /** Who writes: the tenant, the location the writer is scoped to (null: enterprise-wide). */
  public record Writer(
      String tenantId, String locationId, String deviceId, boolean countsRejections) {
    public Writer {
      Objects.requireNonNull(tenantId, "tenantId");
    }
  }

  /**
   * What a push did: the results, one per op in request order, and whether anything changed.
   *
   * @param asWritten the op ids applied exactly as written, on the record their writer based them
   *     on: the writer already holds the resulting record, so its answer need not repeat it
   * @param created the op ids that brought their record into being (it was absent or deleted)
   */
  public record PushOutcome(
      List<OpResult> results,
      long lastSeq,
      boolean changed,
      Set<String> asWritten,
      Set<String> created) {}

  /** One op written through {@link #pushOne}: its result, and whether it created its record. */
  public record Written(OpResult result, boolean created) {}

  /** A record as the store holds it, with the location it belongs to and its latest seq. */
  public record StoredRecord(RecordState state, String locationId, long seq) {}

  private record Key(String collection, String id) {}

  private record LoggedOp(String outcome, Long seq, String collection, String recordId) {}

  private record Rejection(int attempts, String status, String lastError) {}

  private record OpLogRow(String opId, String outcome, Long seq, String collection, String id) {}

  /** Reads one row of a look-up. */
  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  static final String PENDING = "pending";
  static final String RETRYING = "retrying";
  static final String REQUEUED = "requeued";
  static final String DISCARDED = "discarded";

  private static final int IN_CHUNK = 1000;
  private static final String RECORD_COLUMNS =
      "collection, id, location_id, data, version, origin, field_versions, deleted, seq";
  private static final CollectionPolicy RESERVED_POLICY =
      new CollectionPolicy(Priority.NORMAL, Strategy.LAST_WRITE_WINS);

  private final Jdbi jdbi;
  private final Jdbi reads;
  private final Directory directory;
  private final ChangeApplier applier;
  private final ChangeNotifier notifier;
  private final SyncMetrics metrics;
  private final Clock clock;

  public SyncStore(
      Jdbi jdbi,
      Directory directory,
      ChangeApplier applier,
      ChangeNotifier notifier,
      SyncMetrics metrics,
      Clock clock) {
    this(jdbi, jdbi, directory, applier, notifier, metrics, clock);
  }

  /**
   * @param reads where the feed and single records are read ({@code Database.reads()}): on SQLite
   *     read-only connections beside the writer's, so a pull never waits behind a commit's fsync
   */
  public SyncStore(
      Jdbi jdbi,
      Jdbi reads,
      Directory directory,
      ChangeApplier applier,
      ChangeNotifier notifier,
      SyncMetrics metrics,
      Clock clock) {
    this.jdbi = jdbi;
    this.reads = reads;
    this.directory = directory;
    this.applier = applier;
    this.notifier = notifier;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Applies a push: all of it in one transaction, an op-level rejection being just a result. */
  public PushOutcome push(Writer writer, List<IncomingOp> ops) {
    return apply(writer, ops, false, h -> {});
  }

  /**
   * Applies one op of a cloud-connected device, in a transaction shared with the ops of the same
   * writer that arrive while the previous commit is on disk (group commit): each op is answered as
   * if pushed alone, after the commit that holds it. One commit per device write would queue the
   * writes of a busy location behind each other's fsync.
   */
  public Written pushOne(Writer writer, IncomingOp op) {
    return combiners
        .computeIfAbsent(writer.tenantId(), t -> new GroupCommit<>(this::applyGroup))
        .run(writer, op);
  }

  private final ConcurrentHashMap<String, GroupCommit<Writer, IncomingOp, Written>> combiners =
      new ConcurrentHashMap<>();

  /** The ops queued by one writer, applied in order as one push (a rejection is a result). */
  private List<GroupCommit.Answer<Written>> applyGroup(Writer writer, List<IncomingOp> ops) {
    PushOutcome pushed = apply(writer, ops, false, h -> {});
    return pushed.results().stream()
        .map(r -> GroupCommit.Answer.of(new Written(r, pushed.created().contains(r.opId()))))
        .toList();
  }

  /**
   * Applies ops like {@link #push}, after running {@code sameTransaction} inside the same
   * transaction (under the tenant lock), e.g. to register the device a {@code _devices} record
   * describes. An exception from it rolls everything back.
   */
  public PushOutcome push(Writer writer, List<IncomingOp> ops, Consumer<Handle> sameTransaction) {
    return apply(writer, ops, false, sameTransaction);
  }

  /** Re-applies an op from the review queue; it is answered as a first try. */
  PushOutcome requeue(Writer writer, IncomingOp op) {
    return apply(writer, List.of(op), true, h -> {});
  }

  private PushOutcome apply(
      Writer writer, List<IncomingOp> ops, boolean requeue, Consumer<Handle> sameTransaction) {
    long started = System.nanoTime();
    Batch batch = jdbi.inTransaction(h -> new Batch(h, writer, requeue).run(ops, sameTransaction));
    metrics.pushBatch(System.nanoTime() - started);
    for (OpResult r : batch.results) {
      metrics.op(r.outcome());
    }
    metrics.conflicts(batch.audited);
    if (!batch.changedLocations.isEmpty()) {
      notifier.committed(writer.tenantId(), batch.changedLocations);
    }
    return new PushOutcome(
        batch.results,
        batch.lastSeq,
        !batch.changedLocations.isEmpty(),
        batch.asWritten,
        batch.created);
  }

  private static final String RECORDS_COPY =
      "records (tenant_id, collection, id, location_id, data, version, origin, field_versions,"
          + " deleted, seq, updated_at, action)";
  private static final String OP_LOG_COPY =
      "op_log (tenant_id, op_id, outcome, seq, location_id, collection, record_id, created_at)";

  /** The state of one push while its transaction is open. */
  private final class Batch {
    final Handle h;
    final Writer writer;
    final boolean requeue;
    final long now = clock.millis();
    final List<OpResult> results = new ArrayList<>();
    final Set<String> changedLocations = new HashSet<>();
    final Map<Key, Optional<StoredRecord>> records = new HashMap<>();
    // Records with a row before this push: under the tenant lock nobody else adds any, so the
    // others can be inserted without an upsert.
    final Set<Key> stored = new HashSet<>();
    // PostgreSQL takes bulk rows by COPY and id lists as one array parameter.
    final boolean onPostgres;
    final Map<Key, StoredRecord> dirty = new LinkedHashMap<>();
    // The data of a dirty record as its op sent it, when the record took the op's data as is.
    final Map<Key, String> dataAsSent = new HashMap<>();
    // The action of a dirty record's last change, named while the record before it is known.
    final Map<Key, String> actions = new HashMap<>();
    final Map<String, LoggedOp> logged = new HashMap<>();
    final Map<String, Rejection> rejections = new HashMap<>();
    final Map<String, OpResult> answered = new HashMap<>();
    final List<OpLogRow> opLog = new ArrayList<>();
    final PreparedBatch conflicts;
    final PreparedBatch rejectionRows;
    final List<String> requeuedIds = new ArrayList<>();
    final Set<String> asWritten = new HashSet<>();
    final Set<String> created = new HashSet<>();
    long lastSeq;
    int audited;
    SyncConfig config;

    Batch(Handle h, Writer writer, boolean requeue) {
      this.h = h;
      this.writer = writer;
      this.requeue = requeue;
      try {
        this.onPostgres = PgCopy.supports(h.getConnection());
      } catch (SQLException e) {
        throw new StoreException("cannot tell the sync store's database: " + e.getMessage(), e);
      }
      this.conflicts =
          h.prepareBatch(
              "INSERT INTO conflicts (tenant_id, location_id, collection, record_id, op_id,"
                  + " strategy, outcome, local, server, resolved, skewed, created_at) VALUES (:t,"
                  + " :loc, :c, :id, :op, :strategy, :outcome, :local, :server, :resolved,"
                  + " :skewed, :now)");
      this.rejectionRows =
          h.prepareBatch(
              "INSERT INTO op_rejections (tenant_id, op_id, location_id, device_id, op, attempts,"
                  + " last_error, status, first_at, last_at) VALUES (:t, :op, :loc, :device,"
                  + " :raw, :attempts, :error, :status, :now, :now) ON CONFLICT (tenant_id, op_id)"
                  + " DO UPDATE SET attempts = excluded.attempts, last_error ="
                  + " excluded.last_error, status = excluded.status, last_at = excluded.last_at,"
                  + " op = excluded.op");
    }

    Batch run(List<IncomingOp> ops, Consumer<Handle> sameTransaction) {
      lastSeq = lockTenant(h, writer.tenantId());
      sameTransaction.accept(h);
      config = directory.syncConfig(h, writer.tenantId());
      loadLogged(ops);
      loadRecords(ops);
      for (IncomingOp op : ops) {
        results.add(applyOne(op));
      }
      write();
      return this;
    }

    private OpResult applyOne(IncomingOp in) {
      String opId = in.opId();
      if (!opId.isEmpty()) {
        OpResult earlier = answered.get(opId);
        if (earlier != null) {
          return earlier.asDuplicate();
        }
        LoggedOp first = logged.get(opId);
        if (first != null) {
          OpResult dup =
              new OpResult(
                  opId,
                  Outcome.DUPLICATE,
                  first.seq(),
                  current(new Key(first.collection(), first.recordId()))
                      .map(StoredRecord::state)
                      .orElse(null),
                  null,
                  null);
          answered.put(opId, dup);
          return dup;
        }
        Rejection r = rejections.get(opId);
        if (!requeue && r != null && (PENDING.equals(r.status()) || DISCARDED.equals(r.status()))) {
          // Already in review: answer as such again, so the edge drops it; never re-applied here.
          OpResult again =
              new OpResult(
                  opId,
                  Outcome.REJECTED,
                  null,
                  null,
                  Json.MAPPER.convertValue(Json.readTree(r.lastError()), ApiError.class),
                  true);
          answered.put(opId, again);
          return again;
        }
      }
      if (!in.valid()) {
        return reject(in, in.error());
      }
      Op op = in.op();
      Key key = new Key(op.collection(), op.recordId());
      Optional<StoredRecord> stored = current(key);
      if (in.mustExist() && (stored.isEmpty() || stored.get().state().deleted())) {
        return reject(
            in,
            new ApiError(
                "not_found", op.collection() + "/" + op.recordId() + " does not exist", "id"));
      }
      if (stored.isPresent() && !Objects.equals(stored.get().locationId(), writer.locationId())) {
        return reject(
            in,
            new ApiError(
                "forbidden",
                op.collection()
                    + "/"
                    + op.recordId()
                    + (stored.get().locationId() == null
                        ? " is an enterprise-wide record: only the cloud's admin API changes it"
                        : " belongs to another location: a device writes only its own"
                            + " location's records"),
                "id"));
      }
      Optional<RecordState> before = stored.map(StoredRecord::state);
      if (in.baseIsCurrent()) {
        op =
            new Op(
                op.opId(),
                op.collection(),
                op.recordId(),
                op.action(),
                op.data(),
                before.map(RecordState::version).orElse(0L),
                op.hlc(),
                op.nodeId());
      }
      CollectionPolicy policy =
          op.collection().startsWith("_") ? RESERVED_POLICY : config.policyFor(op.collection());
      Application a = applier.apply(before, op, policy);
      if (a.outcome() == Outcome.REJECTED) {
        return reject(in, a.error());
      }
      Long seq = null;
      RecordState after = a.state().orElseThrow();
      if (a.changed()) {
        seq = ++lastSeq;
        StoredRecord next = new StoredRecord(after, writer.locationId(), seq);
        records.put(key, Optional.of(next));
        dirty.put(key, next);
        if (in.dataJson() != null && after.data() == op.data()) {
          dataAsSent.put(key, in.dataJson());
        } else {
          dataAsSent.remove(key);
        }
        changedLocations.add(writer.locationId());
        Map<String, Object> live =
            before.filter(b -> !b.deleted()).map(RecordState::data).orElse(null);
        actions.put(
            key, ChangeKind.of(op.collection(), live, after.data(), after.deleted()).action());
        if (live == null && !after.deleted()) {
          created.add(op.opId());
        }
      }
      opLog.add(
          new OpLogRow(op.opId(), a.outcome().wireName(), seq, op.collection(), op.recordId()));
      if (a.audited()) {
        audited++;
        conflicts
            .bind("t", writer.tenantId())
            .bind("loc", writer.locationId())
            .bind("c", op.collection())
            .bind("id", op.recordId())
            .bind("op", op.opId())
            .bind("strategy", policy.strategy().wireName())
            .bind("outcome", a.outcome().wireName())
            .bind("local", Json.write(op))
            .bind("server", before.map(Json::write).orElse(null))
            .bind("resolved", Json.write(after))
            .bind("skewed", a.skewed() ? 1 : 0)
            .bind("now", now)
            .add();
      }
      if (requeue) {
        requeuedIds.add(op.opId());
      }
      if (a.outcome() == Outcome.APPLIED
          && a.changed()
          && !a.conflict()
          && !a.skewed()
          && after.version() == op.hlc()
          && after.origin().equals(op.nodeId())) {
        // No concurrent edit and no restamp: the writer's own copy is this record, to the field.
        asWritten.add(op.opId());
      }
      OpResult result = new OpResult(op.opId(), a.outcome(), seq, after, null, null);
      answered.put(op.opId(), result);
      return result;
    }

    private OpResult reject(IncomingOp in, ApiError error) {
      String opId = in.opId();
      if (opId.isEmpty() || !writer.countsRejections()) {
        return OpResult.rejected(opId, error);
      }
      Rejection previous = rejections.get(opId);
      int attempts = (previous == null ? 0 : previous.attempts()) + 1;
      boolean toReview = requeue || attempts >= config.retryAttempts();
      String status = toReview ? PENDING : RETRYING;
      String errorJson = Json.write(error);
      rejections.put(opId, new Rejection(attempts, status, errorJson));
      rejectionRows
          .bind("t", writer.tenantId())
          .bind("op", opId)
          .bind("loc", writer.locationId())
          .bind("device", writer.deviceId())
          .bind("raw", in.raw() == null ? Json.write(in.op()) : in.raw().toString())
          .bind("attempts", attempts)
          .bind("error", errorJson)
          .bind("status", status)
          .bind("now", now)
          .add();
      OpResult result =
          new OpResult(opId, Outcome.REJECTED, null, null, error, toReview ? true : null);
      answered.put(opId, result);
      return result;
    }

    private void writeRecords() throws SQLException {
      if (dirty.isEmpty()) {
        return;
      }
      Connection c = h.getConnection();
      List<Map.Entry<Key, StoredRecord>> upserts = new ArrayList<>(dirty.size());
      if (onPostgres) {
        // New records go in by COPY: under the tenant lock nobody else adds one of these keys.
        PgCopy copy = new PgCopy(RECORDS_COPY, dirty.size() * 800);
        for (Map.Entry<Key, StoredRecord> e : dirty.entrySet()) {
          if (stored.contains(e.getKey())) {
            upserts.add(e);
            continue;
          }
          StoredRecord r = e.getValue();
          RecordState s = r.state();
          copy.text(writer.tenantId())
              .text(s.collection())
              .text(s.id())
              .text(r.locationId())
              .text(recordData(e.getKey(), s))
              .number(s.version())
              .text(s.origin())
              .text(fieldVersionsJson(s))
              .number(s.deleted() ? 1 : 0)
              .number(r.seq())
              .number(now)
              .text(actions.get(e.getKey()))
              .endRow();
        }
        copy.writeTo(c);
      } else {
        upserts.addAll(dirty.entrySet());
      }
      if (upserts.isEmpty()) {
        return;
      }
      try (PreparedStatement upsert =
          c.prepareStatement(
              "INSERT INTO records (tenant_id, collection, id, location_id, data, version,"
                  + " origin, field_versions, deleted, seq, updated_at, action) VALUES (?, ?, ?,"
                  + " ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, collection, id) DO UPDATE"
                  + " SET data = excluded.data, version = excluded.version, origin ="
                  + " excluded.origin, field_versions = excluded.field_versions, deleted ="
                  + " excluded.deleted, seq = excluded.seq, updated_at = excluded.updated_at,"
                  + " action = excluded.action")) {
        for (Map.Entry<Key, StoredRecord> e : upserts) {
          StoredRecord r = e.getValue();
          RecordState s = r.state();
          upsert.setString(1, writer.tenantId());
          upsert.setString(2, s.collection());
          upsert.setString(3, s.id());
          upsert.setString(4, r.locationId());
          upsert.setString(5, recordData(e.getKey(), s));
          upsert.setLong(6, s.version());
          upsert.setString(7, s.origin());
          upsert.setString(8, fieldVersionsJson(s));
          upsert.setInt(9, s.deleted() ? 1 : 0);
          upsert.setLong(10, r.seq());
          upsert.setLong(11, now);
          upsert.setString(12, actions.get(e.getKey()));
          upsert.addBatch();
        }
        upsert.executeBatch();
      }
    }

    /** A record's data as JSON: as its op sent it when the record took it as is. */
    private String recordData(Key key, RecordState s) {
      String sent = dataAsSent.get(key);
      return sent != null ? sent : Json.write(s.data());
    }

    private void writeOpLog() throws SQLException {
      if (opLog.isEmpty()) {
        return;
      }
      Connection c = h.getConnection();
      if (onPostgres) {
        PgCopy copy = new PgCopy(OP_LOG_COPY, opLog.size() * 120);
        for (OpLogRow row : opLog) {
          copy.text(writer.tenantId())
              .text(row.opId())
              .text(row.outcome())
              .number(row.seq())
              .text(writer.locationId())
              .text(row.collection())
              .text(row.id())
              .number(now)
              .endRow();
        }
        copy.writeTo(c);
        return;
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO op_log (tenant_id, op_id, outcome, seq, location_id, collection,"
                  + " record_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (OpLogRow row : opLog) {
          insert.setString(1, writer.tenantId());
          insert.setString(2, row.opId());
          insert.setString(3, row.outcome());
          if (row.seq() == null) {
            insert.setNull(4, Types.BIGINT);
          } else {
            insert.setLong(4, row.seq());
          }
          insert.setString(5, writer.locationId());
          insert.setString(6, row.collection());
          insert.setString(7, row.id());
          insert.setLong(8, now);
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }

    private Optional<StoredRecord> current(Key key) {
      Optional<StoredRecord> r = records.get(key);
      return r == null ? Optional.empty() : r;
    }

    private void loadLogged(List<IncomingOp> ops) {
      List<String> ids = new ArrayList<>(ops.size());
      Set<String> seen = new HashSet<>();
      for (IncomingOp op : ops) {
        if (!op.opId().isEmpty() && seen.add(op.opId())) {
          ids.add(op.opId());
        }
      }
      selectIn(
          "SELECT op_id, outcome, seq, collection, record_id FROM op_log"
              + " WHERE tenant_id = ? AND op_id",
          List.of(writer.tenantId()),
          ids,
          rs -> {
            long seq = rs.getLong("seq");
            Long boxed = rs.wasNull() ? null : seq;
            logged.put(
                rs.getString("op_id"),
                new LoggedOp(
                    rs.getString("outcome"),
                    boxed,
                    rs.getString("collection"),
                    rs.getString("record_id")));
          });
      // Ops not applied before may have been rejected before: their attempts count on.
      List<String> notLogged = ids.stream().filter(id -> !logged.containsKey(id)).toList();
      if (!writer.countsRejections() && !requeue || notLogged.isEmpty() || !anyRejections()) {
        return;
      }
      selectIn(
          "SELECT op_id, attempts, status, last_error FROM op_rejections"
              + " WHERE tenant_id = ? AND op_id",
          List.of(writer.tenantId()),
          notLogged,
          rs ->
              rejections.put(
                  rs.getString("op_id"),
                  new Rejection(
                      rs.getInt("attempts"), rs.getString("status"), rs.getString("last_error"))));
    }

    /**
     * Whether the tenant ever had an op rejected. Most never do, and their pushes then skip looking
     * up a thousand op ids in an empty table. Read under the tenant lock, and rows are never
     * deleted, so a rejection committed by an earlier push is always seen.
     */
    private boolean anyRejections() {
      return h.createQuery("SELECT 1 FROM op_rejections WHERE tenant_id = :t LIMIT 1")
          .bind("t", writer.tenantId())
          .mapTo(Integer.class)
          .findFirst()
          .isPresent();
    }

    private void loadRecords(List<IncomingOp> ops) {
      Map<String, Set<String>> idsByCollection = new LinkedHashMap<>();
      for (IncomingOp op : ops) {
        if (op.valid()) {
          idsByCollection
              .computeIfAbsent(op.op().collection(), c -> new HashSet<>())
              .add(op.op().recordId());
        }
      }
      for (LoggedOp l : logged.values()) {
        idsByCollection.computeIfAbsent(l.collection(), c -> new HashSet<>()).add(l.recordId());
      }
      for (Map.Entry<String, Set<String>> e : idsByCollection.entrySet()) {
        selectIn(
            "SELECT "
                + RECORD_COLUMNS
                + " FROM records WHERE tenant_id = ? AND collection = ? AND id",
            List.of(writer.tenantId(), e.getKey()),
            new ArrayList<>(e.getValue()),
            rs -> {
              StoredRecord r = storedRecord(rs);
              Key key = new Key(r.state().collection(), r.state().id());
              records.put(key, Optional.of(r));
              stored.add(key);
            });
      }
    }

    /**
     * Runs {@code select + " IN (?, ?, …)"} for the ids in chunks (on PostgreSQL {@code select + "
     * = ANY (?)"} with them all), with plain positional binds: bound by name, a thousand ids per
     * push cost more than the query itself.
     */
    private void selectIn(String select, List<String> leading, List<String> ids, RowReader rows) {
      if (ids.isEmpty()) {
        return;
      }
      try {
        Connection c = h.getConnection();
        if (onPostgres) {
          // One array parameter: PostgreSQL parses and plans one statement, not a list of 1,000.
          try (PreparedStatement query = c.prepareStatement(select + " = ANY (?)")) {
            int p = 1;
            for (String value : leading) {
              query.setString(p++, value);
            }
            query.setArray(p, c.createArrayOf("text", ids.toArray()));
            readAll(query, rows);
          }
          return;
        }
        for (int i = 0; i < ids.size(); i += IN_CHUNK) {
          List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
          StringBuilder sql = new StringBuilder(select.length() + chunk.size() * 3).append(select);
          sql.append(" IN (").append("?,".repeat(chunk.size() - 1)).append("?)");
          try (PreparedStatement query = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (String value : leading) {
              query.setString(p++, value);
            }
            for (String id : chunk) {
              query.setString(p++, id);
            }
            readAll(query, rows);
          }
        }
      } catch (SQLException e) {
        throw new StoreException("look-up in the sync store failed: " + e.getMessage(), e);
      }
    }

    private static void readAll(PreparedStatement query, RowReader rows) throws SQLException {
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          rows.read(rs);
        }
      }
    }

    // The hot path writes through plain JDBC batches: positional binds cost a fraction of
    // named ones, and a push writes two rows per op.
    private void write() {
      try {
        writeRecords();
        writeOpLog();
        if (!dirty.isEmpty()) {
          int updated =
              h.createUpdate("UPDATE tenant_seq SET last_seq = :seq WHERE tenant_id = :t")
                  .bind("seq", lastSeq)
                  .bind("t", writer.tenantId())
                  .execute();
          if (updated != 1) {
            throw new IllegalStateException("tenant_seq row of " + writer.tenantId() + " vanished");
          }
        }
      } catch (SQLException e) {
        throw new StoreException("writing a push of tenant " + writer.tenantId() + " failed", e);
      }
      if (conflicts.size() > 0) {
        conflicts.execute();
      }
      if (rejectionRows.size() > 0) {
        rejectionRows.execute();
      }
      for (String opId : requeuedIds) {
        h.createUpdate(
                "UPDATE op_rejections SET status = :s, last_at = :now"
                    + " WHERE tenant_id = :t AND op_id = :op")
            .bind("s", REQUEUED)
            .bind("now", now)
            .bind("t", writer.tenantId())
            .bind("op", opId)
            .execute();
      }
    }
  }

  /**
   * Locks the tenant's counter row until the transaction ends and returns its value: the
   * serialisation point of every write of the tenant.
   */
  static long lockTenant(Handle h, String tenantId) {
    int locked =
        h.createUpdate("UPDATE tenant_seq SET last_seq = last_seq WHERE tenant_id = :t")
            .bind("t", tenantId)
            .execute();
    if (locked != 1) {
      throw new StoreException(
          "tenant " + tenantId + " has no tenant_seq row: create the tenant with the admin API",
          null);
    }
    return h.createQuery("SELECT last_seq FROM tenant_seq WHERE tenant_id = :t")
        .bind("t", tenantId)
        .mapTo(Long.class)
        .one();
  }

  /**
   * Records a pulling device wrote itself and already holds: those of {@code origin} committed
   * under a seq in one of {@code ranges} (the seqs its own pushes were given). Only the device can
   * vouch for a range: a record of the same origin outside them (an op re-applied from the review
   * queue, writes lost by an edge restored from a backup) is still served.
   */
  public record OwnWrites(String origin, List<SeqRange> ranges) {
    public static final int MAX_RANGES = 64;

    public OwnWrites {
      Objects.requireNonNull(origin, "origin");
      ranges = List.copyOf(ranges);
      if (ranges.size() > MAX_RANGES) {
        throw new IllegalArgumentException(
            "at most " + MAX_RANGES + " seq ranges, got " + ranges.size());
      }
    }

    boolean covers(String recordOrigin, long seq) {
      if (!origin.equals(recordOrigin)) {
        return false;
      }
      for (SeqRange r : ranges) {
        if (seq >= r.from() && seq <= r.to()) {
          return true;
        }
      }
      return false;
    }
  }

  /** The seqs {@code from} to {@code to}, both included. */
  public record SeqRange(long from, long to) {
    public SeqRange {
      if (from < 1 || to < from) {
        throw new IllegalArgumentException(
            "a seq range runs from 1 or more to at least its start, was " + from + "-" + to);
      }
    }
  }

  /**
   * The feed after a seq: the location's records and the enterprise-wide ones, each read in seq
   * order off the {@code (tenant_id, location_id, seq)} index and merged. (One {@code location_id =
   * :loc OR location_id IS NULL} makes SQLite sort every record above {@code since} per page.)
   */
  private static final String FEED_QUERY =
      "SELECT * FROM (SELECT * FROM (SELECT "
          + RECORD_COLUMNS
          + ", action FROM records WHERE tenant_id = :t AND location_id = :loc AND seq > :since"
          + " ORDER BY seq LIMIT :limit) own UNION ALL SELECT * FROM (SELECT "
          + RECORD_COLUMNS
          + ", action FROM records WHERE tenant_id = :t AND location_id IS NULL AND seq > :since"
          + " ORDER BY seq LIMIT :limit) shared) feed ORDER BY seq LIMIT :limit";

  /**
   * The changes above {@code since} visible to {@code locationId} (its own and enterprise-wide
   * records), ascending by seq, at most {@code limit}.
   */
  public PullResponse pull(String tenantId, String locationId, long since, int limit) {
    return pull(tenantId, locationId, since, limit, null);
  }

  /**
   * Like {@link #pull(String, String, long, int)}, leaving out the caller's {@code own} writes
   * (null: none). Skipped records still move {@code next_since}, so the cursor stays exact: every
   * change up to it was either served or is one of the caller's own.
   */
  public PullResponse pull(
      String tenantId, String locationId, long since, int limit, OwnWrites own) {
    if (own != null) {
      return pullExcluding(tenantId, locationId, since, limit, own);
    }
    return readFeed(tenantId, locationId, since, limit, null);
  }

  /**
   * A page of the feed as a pull serves it, with the action stored with each change (seed 002's
   * name for it, decided when it was written), by seq; changes written before actions were stored
   * have none.
   */
  public record FeedPage(PullResponse page, Map<Long, String> actions) {}

  /** Like {@link #pull(String, String, long, int)}, with each change's stored action. */
  public FeedPage feed(String tenantId, String locationId, long since, int limit) {
    Map<Long, String> actions = new HashMap<>();
    return new FeedPage(readFeed(tenantId, locationId, since, limit, actions), actions);
  }

  private PullResponse readFeed(
      String tenantId, String locationId, long since, int limit, Map<Long, String> actions) {
    List<Change> changes = new ArrayList<>(Math.min(limit, 1024));
    long[] cursor = {since};
    boolean hasMore =
        reads.withHandle(
            h -> {
              // One row past the page tells whether more follow.
              h.createQuery(FEED_QUERY)
                  .bind("t", tenantId)
                  .bind("since", since)
                  .bind("loc", locationId)
                  .bind("limit", limit + 1)
                  .scanResultSet(
                      (supplier, ctx) -> {
                        ResultSet rs = supplier.get();
                        while (changes.size() <= limit && rs.next()) {
                          StoredRecord r = storedRecord(rs);
                          changes.add(new Change(r.seq(), r.locationId(), r.state()));
                          String action = actions == null ? null : rs.getString("action");
                          if (action != null) {
                            actions.put(r.seq(), action);
                          }
                        }
                        return null;
                      });
              boolean more = changes.size() > limit;
              if (more) {
                changes.remove(limit);
              }
              if (!changes.isEmpty()) {
                cursor[0] = changes.get(changes.size() - 1).seq();
              }
              return more;
            });
    metrics.pull(changes.size());
    return new PullResponse(changes, hasMore, cursor[0]);
  }

  /**
   * A pull that leaves out the caller's own writes in SQL, so a drain's echo costs an index scan,
   * not a row read and decode per record. The upper end is read first: every seq up to it is
   * committed (seqs are handed out under the tenant lock in commit order), so when the page is not
   * full the cursor may move to it, past the skipped records, and no change is ever passed over.
   */
  private PullResponse pullExcluding(
      String tenantId, String locationId, long since, int limit, OwnWrites own) {
    StringBuilder mine = new StringBuilder(" AND NOT (origin = :origin AND (");
    for (int i = 0; i < own.ranges().size(); i++) {
      mine.append(i == 0 ? "" : " OR ")
          .append("seq BETWEEN :f")
          .append(i)
          .append(" AND :u")
          .append(i);
    }
    String excluded = own.ranges().isEmpty() ? "" : mine.append("))").toString();
    String sql =
        "SELECT * FROM (SELECT * FROM (SELECT "
            + RECORD_COLUMNS
            + " FROM records WHERE tenant_id = :t AND location_id = :loc AND seq > :since"
            + " AND seq <= :upper"
            + excluded
            + " ORDER BY seq LIMIT :limit) own UNION ALL SELECT * FROM (SELECT "
            + RECORD_COLUMNS
            + " FROM records WHERE tenant_id = :t AND location_id IS NULL AND seq > :since"
            + " AND seq <= :upper"
            + excluded
            + " ORDER BY seq LIMIT :limit) shared) feed ORDER BY seq LIMIT :limit";
    List<Change> changes = new ArrayList<>(Math.min(limit, 1024));
    long[] cursor = {since};
    boolean hasMore =
        reads.withHandle(
            h -> {
              long upper = latestSeq(h, tenantId, locationId);
              var query =
                  h.createQuery(sql)
                      .bind("t", tenantId)
                      .bind("loc", locationId)
                      .bind("since", since)
                      .bind("upper", upper)
                      .bind("origin", own.origin())
                      .bind("limit", limit + 1);
              for (int i = 0; i < own.ranges().size(); i++) {
                query
                    .bind("f" + i, own.ranges().get(i).from())
                    .bind("u" + i, own.ranges().get(i).to());
              }
              query.scanResultSet(
                  (supplier, ctx) -> {
                    ResultSet rs = supplier.get();
                    while (changes.size() <= limit && rs.next()) {
                      StoredRecord r = storedRecord(rs);
                      changes.add(new Change(r.seq(), r.locationId(), r.state()));
                    }
                    return null;
                  });
              if (changes.size() > limit) {
                changes.remove(limit);
                cursor[0] = changes.get(limit - 1).seq();
                return true;
              }
              cursor[0] = Math.max(since, upper);
              return false;
            });
    metrics.pull(changes.size());
    return new PullResponse(changes, hasMore, cursor[0]);
  }

  /** The highest seq visible to the location (0 when none). */
  public long latestSeq(String tenantId, String locationId) {
    return reads.withHandle(h -> latestSeq(h, tenantId, locationId));
  }

  private static long latestSeq(Handle h, String tenantId, String locationId) {
    long own =
        h.createQuery(
                "SELECT COALESCE(MAX(seq), 0) FROM records"
                    + " WHERE tenant_id = :t AND location_id = :loc")
            .bind("t", tenantId)
            .bind("loc", locationId)
            .mapTo(Long.class)
            .one();
    long shared =
        h.createQuery(
                "SELECT COALESCE(MAX(seq), 0) FROM records"
                    + " WHERE tenant_id = :t AND location_id IS NULL")
            .bind("t", tenantId)
            .mapTo(Long.class)
            .one();
    return Math.max(own, shared);
  }

  /** One record, deleted or not. */
  public Optional<StoredRecord> find(String tenantId, String collection, String id) {
    return reads.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + RECORD_COLUMNS
                        + " FROM records WHERE tenant_id = :t AND collection = :c AND id = :id")
                .bind("t", tenantId)
                .bind("c", collection)
                .bind("id", id)
                .map((rs, ctx) -> storedRecord(rs))
                .findOne());
  }

  /**
   * Live records of a collection visible to {@code locationId} (null: enterprise-wide only), by id,
   * after {@code afterId}.
   */
  public List<StoredRecord> list(
      String tenantId, String locationId, String collection, String afterId, int limit) {
    return reads.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + RECORD_COLUMNS
                        + " FROM records WHERE tenant_id = :t AND collection = :c AND id > :after"
                        + " AND deleted = 0 AND (location_id = :loc OR location_id IS NULL)"
                        + " ORDER BY id LIMIT :limit")
                .bind("t", tenantId)
                .bind("c", collection)
                .bind("after", afterId == null ? "" : afterId)
                .bind("loc", locationId)
                .bind("limit", limit)
                .map((rs, ctx) -> storedRecord(rs))
                .list());
  }

  /** Field versions as a JSON object, written by hand: a push writes one per changed record. */
  /**
   * A record's field versions as stored. When every field of the record was set by one write (what
   * a whole-record put leaves, so nearly every row of a drain) only that version is stored, as a
   * bare JSON number: the field names are the data's own keys. Any other field versions are a JSON
   * object, so the two forms never meet.
   */
  static String fieldVersionsJson(RecordState state) {
    Map<String, Long> fieldVersions = state.fieldVersions();
    if (fieldVersions.isEmpty()) {
      return "{}";
    }
    if (fieldVersions instanceof UniformFieldVersions uniform
        && uniform.fields().equals(state.data().keySet())) {
      return Long.toString(uniform.version());
    }
    JsonStringEncoder quote = JsonStringEncoder.getInstance();
    StringBuilder out = new StringBuilder(fieldVersions.size() * 32).append('{');
    for (Map.Entry<String, Long> e : fieldVersions.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append('"');
      quote.quoteAsString(e.getKey(), out);
      out.append("\":").append(e.getValue().longValue());
    }
    return out.append('}').toString();
  }

  /** Reads what {@link #fieldVersionsJson} stored, for a record holding {@code data}. */
  static Map<String, Long> fieldVersions(String stored, Map<String, Object> data) {
    if ("{}".equals(stored)) {
      return Map.of();
    }
    if (stored.charAt(0) != '{') {
      return new UniformFieldVersions(
          Collections.unmodifiableSet(data.keySet()), Long.parseLong(stored));
    }
    return Json.readLongMap(stored);
  }

  static StoredRecord storedRecord(ResultSet rs) throws SQLException {
    Map<String, Object> data = Json.readMap(rs.getString("data"));
    RecordState state =
        new RecordState(
            rs.getString("collection"),
            rs.getString("id"),
            data,
            rs.getLong("version"),
            rs.getString("origin"),
            fieldVersions(rs.getString("field_versions"), data),
            rs.getInt("deleted") != 0);
    return new StoredRecord(state, rs.getString("location_id"), rs.getLong("seq"));
  }
}
