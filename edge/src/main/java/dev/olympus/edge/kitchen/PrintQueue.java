package dev.olympus.edge.kitchen;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Kitchen tickets waiting for their printers, in the edge's database so that tickets fired while a
 * printer is off (or the edge restarts) still print, in order, once it is back.
 */
public final class PrintQueue {
  private static final String COLUMNS =
      "seq, job_id, printer_id, payload, status, created_at, attempts, next_attempt_at, last_error";

  private static final RowMapper<PrintJob> MAPPER =
      (rs, ctx) ->
          new PrintJob(
              rs.getLong(1),
              rs.getString(2),
              rs.getString(3),
              rs.getBytes(4),
              rs.getString(5),
              rs.getLong(6),
              rs.getInt(7),
              rs.getLong(8),
              rs.getString(9));

  private final Jdbi jdbi;
  private final Clock clock;

  public PrintQueue(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /**
   * Queues a job; a job id seen before is ignored, so a retried "fire" request prints once.
   *
   * @return true when the job was new
   */
  public boolean enqueue(String jobId, String printerId, byte[] payload) {
    return jdbi.inTransaction(h -> enqueue(h, jobId, printerId, payload, clock.millis()));
  }

  /** Queues a job inside the caller's transaction (the one recording that the order was fired). */
  public static boolean enqueue(
      Handle h, String jobId, String printerId, byte[] payload, long now) {
    return h.createUpdate(
                "INSERT INTO print_jobs (job_id, printer_id, payload, created_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING")
            .bind(0, jobId)
            .bind(1, printerId)
            .bind(2, payload)
            .bind(3, now)
            .execute()
        == 1;
  }

  /** Printers with pending jobs. */
  public List<String> printersWithPendingJobs() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT printer_id FROM print_jobs WHERE status = 'pending'"
                        + " ORDER BY printer_id")
                .mapTo(String.class)
                .list());
  }

  /** A printer's pending jobs in the order they were queued. */
  public List<PrintJob> pendingFor(String printerId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM print_jobs WHERE status = 'pending' AND printer_id = ?"
                        + " ORDER BY seq LIMIT ?")
                .bind(0, printerId)
                .bind(1, limit)
                .map(MAPPER)
                .list());
  }

  public Optional<PrintJob> find(String jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM print_jobs WHERE job_id = ?")
                .bind(0, jobId)
                .map(MAPPER)
                .findOne());
  }

  /** Every job, in queue order. */
  public List<PrintJob> all() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM print_jobs ORDER BY seq")
                .map(MAPPER)
                .list());
  }

  public long pendingCount() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM print_jobs WHERE status = 'pending'")
                .mapTo(Long.class)
                .one());
  }

  void markDone(PrintJob job) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE print_jobs SET status = 'done', attempts = attempts + 1,"
                        + " printed_at = ?, last_error = NULL WHERE seq = ?")
                .bind(0, clock.millis())
                .bind(1, job.seq())
                .execute());
  }

  void recordFailure(PrintJob job, String error, long nextAttemptAt) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE print_jobs SET attempts = attempts + 1, last_error = ?,"
                        + " next_attempt_at = ? WHERE seq = ?")
                .bind(0, error)
                .bind(1, nextAttemptAt)
                .bind(2, job.seq())
                .execute());
  }

  /** Deletes printed jobs older than {@code olderThanMillis}; returns how many. */
  public int pruneDone(long olderThanMillis) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM print_jobs WHERE status = 'done' AND printed_at < ?")
                .bind(0, olderThanMillis)
                .execute());
  }
}
