package dev.olympus.edge.outbox;

import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.RecordState;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.store.RecordStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The transactional outbox: local writes waiting for the cloud. Entries are appended in the same
 * transaction as the record they change ({@link #append}), pushed by {@code (priority, seq)}, and
 * removed only in the transaction that stores the cloud's answer ({@link #complete}), so a crash at
 * any point leaves each write either queued or answered, never lost.
 */
public final class Outbox {
  private final Jdbi jdbi;
  private final Clock clock;

  public Outbox(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Queues an op inside the caller's transaction. */
  public static void append(
      Handle h,
      String opId,
      String collection,
      String recordId,
      OpAction action,
      String dataJson,
      long baseVersion,
      String baseOrigin,
      long hlc,
      int priority,
      long createdAt) {
    h.createUpdate(
            "INSERT INTO outbox (op_id, collection, record_id, action, data, base_version,"
                + " base_origin, hlc, priority, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, opId)
        .bind(1, collection)
        .bind(2, recordId)
        .bind(3, action.wireName())
        .bind(4, dataJson)
        .bind(5, baseVersion)
        .bind(6, baseOrigin)
        .bind(7, hlc)
        .bind(8, priority)
        .bind(9, createdAt)
        .execute();
  }

  /** A position in push order: entries after it come next. */
  public record Cursor(int priority, long seq) {
    public static final Cursor START = new Cursor(-1, 0);

    public static Cursor after(OutboxEntry e) {
      return new Cursor(e.priority(), e.seq());
    }
  }

  /** The next {@code limit} entries after {@code cursor} in push order. */
  public List<OutboxEntry> nextBatch(Cursor cursor, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT seq, op_id, collection, record_id, action, data, base_version, hlc,"
                        + " priority, created_at, attempts, base_origin FROM outbox"
                        + " WHERE (priority, seq) > (?, ?) ORDER BY priority, seq LIMIT ?")
                .bind(0, cursor.priority())
                .bind(1, cursor.seq())
                .bind(2, limit)
                .map(
                    (rs, ctx) ->
                        new OutboxEntry(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            OpAction.parse(rs.getString(5)),
                            rs.getString(6),
                            rs.getLong(7),
                            rs.getString(12),
                            rs.getLong(8),
                            rs.getInt(9),
                            rs.getLong(10),
                            rs.getInt(11)))
                .list());
  }

  /** What storing one batch's answers did. */
  public record Completion(int done, int rejected, int toReview, int recordsUpdated) {}

  /**
   * Stores the cloud's answers to a pushed batch in one local transaction: answered entries leave
   * the outbox, canonical records replace local ones unless a newer local write is still queued,
   * rejected entries stay (with one more attempt counted) without blocking the others, and entries
   * the cloud sent to review move to the dead letters.
   *
   * @param batch the entries pushed, in push order (as {@link #nextBatch} returned them)
   * @param results the cloud's answers, one per entry in the same order
   */
  public Completion complete(List<OutboxEntry> batch, List<OpResult> results) {
    if (batch.size() != results.size()) {
      throw new IllegalArgumentException(
          "the cloud answered " + results.size() + " results for " + batch.size() + " ops");
    }
    for (int i = 0; i < batch.size(); i++) {
      if (!batch.get(i).opId().equals(results.get(i).opId())) {
        throw new IllegalArgumentException(
            "result "
                + i
                + " answers op "
                + results.get(i).opId()
                + " but op "
                + batch.get(i).opId()
                + " was sent there");
      }
    }
    long now = clock.millis();
    return jdbi.inTransaction(
        h -> {
          int done = 0;
          int rejected = 0;
          int toReview = 0;
          List<long[]> doneRanges = new ArrayList<>();
          PreparedBatch retry =
              h.prepareBatch(
                  "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?");
          PreparedBatch review =
              h.prepareBatch(
                  "INSERT OR REPLACE INTO dead_letters (op_id, collection, record_id, action, data,"
                      + " base_version, hlc, created_at, moved_at, attempts, error)"
                      + " SELECT op_id, collection, record_id, action, data, base_version, hlc,"
                      + " created_at, ?, attempts + 1, ? FROM outbox WHERE seq = ?");
          List<RecordState> canonical = new ArrayList<>();
          long[] run = null; // {priority, firstSeq, lastSeq}
          for (int i = 0; i < batch.size(); i++) {
            OutboxEntry e = batch.get(i);
            OpResult r = results.get(i);
            boolean leaves;
            if (r.outcome() == Outcome.REJECTED) {
              String error = r.error() == null ? "rejected" : Json.write(r.error());
              if (Boolean.TRUE.equals(r.queuedForReview())) {
                review.bind(0, now).bind(1, error).bind(2, e.seq()).add();
                toReview++;
                leaves = true;
              } else {
                retry.bind(0, error).bind(1, e.seq()).add();
                rejected++;
                leaves = false;
              }
            } else {
              done++;
              leaves = true;
              RecordState rec = r.record();
              if (rec != null && (rec.version() != e.hlc() || r.outcome() == Outcome.MERGED)) {
                canonical.add(rec);
              }
            }
            // Answered entries are removed by (priority, seq) ranges: one statement per run
            // instead of one per op.
            if (leaves) {
              if (run != null && run[0] == e.priority()) {
                run[2] = e.seq();
              } else {
                if (run != null) {
                  doneRanges.add(run);
                }
                run = new long[] {e.priority(), e.seq(), e.seq()};
              }
            } else if (run != null) {
              doneRanges.add(run);
              run = null;
            }
          }
          if (run != null) {
            doneRanges.add(run);
          }
          if (review.size() > 0) {
            review.execute();
          }
          if (retry.size() > 0) {
            retry.execute();
          }
          if (!doneRanges.isEmpty()) {
            PreparedBatch delete =
                h.prepareBatch("DELETE FROM outbox WHERE priority = ? AND seq BETWEEN ? AND ?");
            for (long[] range : doneRanges) {
              delete.bind(0, range[0]).bind(1, range[1]).bind(2, range[2]).add();
            }
            delete.execute();
          }
          int updated = RecordStore.applyCanonical(h, canonical);
          return new Completion(done, rejected, toReview, updated);
        });
  }

  /** Queued ops per collection and the age span of the queue. */
  public QueueSnapshot snapshot() {
    return jdbi.withHandle(Outbox::snapshot);
  }

  public static QueueSnapshot snapshot(Handle h) {
    List<QueueSnapshot.CollectionCount> counts =
        h.createQuery(
                "SELECT collection, min(priority), count(*) FROM outbox GROUP BY collection"
                    + " ORDER BY min(priority), collection")
            .map(
                (rs, ctx) ->
                    new QueueSnapshot.CollectionCount(rs.getString(1), rs.getInt(2), rs.getLong(3)))
            .list();
    Optional<Long> oldest = Optional.empty();
    Optional<Long> newest = Optional.empty();
    if (!counts.isEmpty()) {
      // seq follows insertion, so the ends of the seq index give the age span without a scan.
      oldest =
          h.createQuery("SELECT created_at FROM outbox ORDER BY seq LIMIT 1")
              .mapTo(Long.class)
              .findOne();
      newest =
          h.createQuery("SELECT created_at FROM outbox ORDER BY seq DESC LIMIT 1")
              .mapTo(Long.class)
              .findOne();
    }
    long dead = h.createQuery("SELECT count(*) FROM dead_letters").mapTo(Long.class).one();
    return new QueueSnapshot(counts, oldest, newest, dead);
  }

  /** The ops the cloud sent to review, most recently moved first, at most {@code limit}. */
  public List<ReviewedOp> inReview(int limit) {
    return inReview(jdbi, limit);
  }

  public static List<ReviewedOp> inReview(Jdbi jdbi, int limit) {
    return jdbi.withHandle(h -> inReview(h, limit));
  }

  public static List<ReviewedOp> inReview(Handle h, int limit) {
    return h.createQuery(
            "SELECT op_id, collection, record_id, action, attempts, error, moved_at"
                + " FROM dead_letters ORDER BY moved_at DESC, op_id LIMIT ?")
        .bind(0, limit)
        .map(
            (rs, ctx) ->
                new ReviewedOp(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getInt(5),
                    rs.getString(6),
                    java.time.Instant.ofEpochMilli(rs.getLong(7))))
        .list();
  }

  /** The number of queued ops. */
  public long size() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one());
  }
}
