package dev.olympus.edge.payments;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Card payments waiting for the processor, in the edge's encrypted database. An entry is added in
 * the transaction that records the payment and leaves {@code pending} only in the transaction that
 * records the processor's answer, so a crash leaves it either pending (and retried with the same
 * idempotency key) or answered.
 */
public final class SettlementQueue {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SettlementQueue.class);
  private static final String COLUMNS =
      "seq, payment_id, order_id, amount_minor, currency, payment_method, customer, idempotency_key,"
          + " status, created_at, attempts, next_attempt_at, last_error, processor_ref,"
          + " processor_status, decline_code, message";

  private static final RowMapper<SettlementEntry> MAPPER =
      (rs, ctx) ->
          new SettlementEntry(
              rs.getLong(1),
              rs.getString(2),
              rs.getString(3),
              rs.getLong(4),
              rs.getString(5),
              rs.getString(6),
              rs.getString(7),
              rs.getString(8),
              rs.getString(9),
              rs.getLong(10),
              rs.getInt(11),
              rs.getLong(12),
              rs.getString(13),
              rs.getString(14),
              rs.getString(15),
              rs.getString(16),
              rs.getString(17));

  private final Jdbi jdbi;

  public SettlementQueue(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Queues a card payment inside the caller's transaction; the key is {@link
   * ChargeRequest#idempotencyKeyFor} of the payment id.
   */
  public static void enqueue(Handle h, ChargeRequest charge, long now) {
    h.createUpdate(
            "INSERT INTO card_settlements (payment_id, order_id, amount_minor, currency,"
                + " payment_method, customer, idempotency_key, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, charge.paymentId())
        .bind(1, charge.orderId())
        .bind(2, charge.amountMinor())
        .bind(3, charge.currency())
        .bind(4, charge.paymentMethod())
        .bind(5, charge.customer())
        .bind(6, charge.idempotencyKey())
        .bind(7, now)
        .execute();
  }

  public Optional<SettlementEntry> find(String paymentId) {
    return jdbi.withHandle(h -> find(h, paymentId));
  }

  public static Optional<SettlementEntry> find(Handle h, String paymentId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM card_settlements WHERE payment_id = ?")
        .bind(0, paymentId)
        .map(MAPPER)
        .findOne();
  }

  /** The card payments of {@code orderId}, oldest first, in the caller's transaction. */
  public static List<SettlementEntry> forOrder(Handle h, String orderId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM card_settlements WHERE order_id = ? ORDER BY seq")
        .bind(0, orderId)
        .map(MAPPER)
        .list();
  }

  /**
   * Cancels a pending entry in the caller's transaction; false when it is no longer pending. A
   * charge already on its way to the processor is caught in {@link #recordAnswer}.
   */
  static boolean cancel(Handle h, String paymentId, String why, long now) {
    return h.createUpdate(
                "UPDATE card_settlements SET status = ?, message = ?, finished_at = ?"
                    + " WHERE payment_id = ? AND status = 'pending'")
            .bind(0, SettlementEntry.CANCELED)
            .bind(1, why)
            .bind(2, now)
            .bind(3, paymentId)
            .execute()
        == 1;
  }

  /** The sum of pending card payments: what the edge has accepted without the processor. */
  public static long pendingTotal(Handle h) {
    return h.createQuery(
            "SELECT coalesce(sum(amount_minor), 0) FROM card_settlements WHERE status = 'pending'")
        .mapTo(Long.class)
        .one();
  }

  public long pendingTotal() {
    return jdbi.withHandle(SettlementQueue::pendingTotal);
  }

  /** Pending entries, oldest first. */
  public List<SettlementEntry> pending(int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM card_settlements WHERE status = 'pending' ORDER BY seq LIMIT ?")
                .bind(0, limit)
                .map(MAPPER)
                .list());
  }

  /** Every entry, oldest first (for status pages and tests). */
  public List<SettlementEntry> all() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM card_settlements ORDER BY seq")
                .map(MAPPER)
                .list());
  }

  /**
   * Stores the processor's final answer and calls {@code listener} in the same transaction, so the
   * payment record the listener updates and the queue never disagree.
   *
   * @return false when the entry was no longer pending (another settler got there first)
   */
  public boolean recordAnswer(
      SettlementEntry entry, ChargeResult result, long now, SettlementListener listener) {
    String status =
        switch (result.outcome()) {
          case APPROVED -> SettlementEntry.SETTLED;
          case DECLINED -> SettlementEntry.DECLINED;
          case REJECTED -> SettlementEntry.FAILED;
        };
    return jdbi.inTransaction(
        h -> {
          int updated =
              h.createUpdate(
                      "UPDATE card_settlements SET status = ?, attempts = attempts + 1,"
                          + " processor_ref = ?, processor_status = ?, decline_code = ?,"
                          + " message = ?, finished_at = ?, last_error = NULL"
                          + " WHERE payment_id = ? AND status = 'pending'")
                  .bind(0, status)
                  .bind(1, result.processorRef())
                  .bind(2, result.status())
                  .bind(3, result.declineCode() != null ? result.declineCode() : result.code())
                  .bind(4, result.message())
                  .bind(5, now)
                  .bind(6, entry.paymentId())
                  .execute();
          if (updated == 0 && result.approved()) {
            // The order was voided while this charge was on its way: the card is charged all the
            // same, so the books must say so, and someone must refund it.
            updated =
                h.createUpdate(
                        "UPDATE card_settlements SET status = ?, attempts = attempts + 1,"
                            + " processor_ref = ?, processor_status = ?, finished_at = ?"
                            + " WHERE payment_id = ? AND status = ?")
                    .bind(0, status)
                    .bind(1, result.processorRef())
                    .bind(2, result.status())
                    .bind(3, now)
                    .bind(4, entry.paymentId())
                    .bind(5, SettlementEntry.CANCELED)
                    .execute();
            if (updated == 1) {
              log.error(
                  "card payment {} of order {} was charged ({}) while the order was being voided:"
                      + " refund it at the processor",
                  entry.paymentId(),
                  entry.orderId(),
                  result.processorRef());
            }
          }
          if (updated == 1) {
            listener.onAnswered(h, entry, result);
          }
          return updated == 1;
        });
  }

  /**
   * Makes every pending entry due now, when the reason for its backoff is likely gone; returns how
   * many were waiting. The idempotency keys are unchanged, so a retry is still charged once.
   */
  public int retryNow(long now) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    "UPDATE card_settlements SET next_attempt_at = ? WHERE status = 'pending'"
                        + " AND next_attempt_at > ?")
                .bind(0, now)
                .bind(1, now)
                .execute());
  }

  /** Counts a failed attempt whose outcome is unknown and sets when to try again. */
  public void recordRetry(SettlementEntry entry, String error, long nextAttemptAt) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE card_settlements SET attempts = attempts + 1, last_error = ?,"
                        + " next_attempt_at = ? WHERE payment_id = ? AND status = 'pending'")
                .bind(0, error)
                .bind(1, nextAttemptAt)
                .bind(2, entry.paymentId())
                .execute());
  }
}
