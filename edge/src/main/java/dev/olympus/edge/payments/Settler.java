package dev.olympus.edge.payments;

import dev.olympus.edge.background.BackgroundPass;
import dev.olympus.edge.syncer.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles queued card payments through the processor, strictly oldest first. Each answer is stored
 * in the transaction that takes the entry out of {@code pending}; the charge is sent with the
 * entry's fixed idempotency key, so if the edge dies between the processor's answer and that
 * commit, the next attempt gets the first answer back instead of a second charge. When the
 * processor cannot be reached the pass stops (the entries behind would fail the same way) and the
 * oldest entry waits with exponential backoff. Declined and rejected payments are final.
 */
public final class Settler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Settler.class);
  private static final int BATCH = 50;

  private final SettlementQueue queue;
  private final CardProcessor processor;
  private final Backoff backoff;
  private final Clock clock;
  private final SettlementListener listener;
  private final ReentrantLock passLock = new ReentrantLock();
  private final BackgroundPass background =
      new BackgroundPass("edge-settler", this::settleDue, log, "settlement pass failed");

  /**
   * @param listener told of each answer inside its transaction (to update the payment record)
   */
  public Settler(
      SettlementQueue queue,
      CardProcessor processor,
      Backoff backoff,
      Clock clock,
      SettlementListener listener) {
    this.queue = queue;
    this.processor = processor;
    this.backoff = backoff;
    this.clock = clock;
    this.listener = listener;
  }

  /** What one pass did. */
  public record Pass(int settled, int declined, int failed, boolean processorUnavailable) {}

  /**
   * Settles every due entry now, oldest first, until the queue is empty or the processor is out of
   * reach. One pass at a time; a call during a running pass waits for it.
   */
  public Pass settleDue() {
    passLock.lock();
    try {
      int settled = 0;
      int declined = 0;
      int failed = 0;
      while (true) {
        List<SettlementEntry> batch = queue.pending(BATCH);
        if (batch.isEmpty()) {
          return new Pass(settled, declined, failed, false);
        }
        for (SettlementEntry entry : batch) {
          long now = clock.millis();
          if (entry.nextAttemptAt() > now) {
            // The oldest entry is backing off: newer ones wait behind it, keeping the order.
            return new Pass(settled, declined, failed, true);
          }
          ChargeResult result;
          try {
            result = processor.charge(entry.toChargeRequest());
          } catch (ProcessorUnavailableException e) {
            long wait = backoff.delay(entry.attempts() + 1L).toMillis();
            queue.recordRetry(entry, e.getMessage(), clock.millis() + wait);
            log.warn(
                "payment {} not settled (attempt {}), retrying in {} ms: {}",
                entry.paymentId(),
                entry.attempts() + 1,
                wait,
                e.getMessage());
            return new Pass(settled, declined, failed, true);
          }
          if (!queue.recordAnswer(entry, result, clock.millis(), listener)) {
            continue;
          }
          switch (result.outcome()) {
            case APPROVED -> {
              settled++;
              log.info(
                  "payment {} of order {} settled: {} {}{}",
                  entry.paymentId(),
                  entry.orderId(),
                  result.processorRef(),
                  result.status(),
                  result.replayed() ? " (the processor had already charged it)" : "");
            }
            case DECLINED -> {
              declined++;
              log.warn(
                  "payment {} of order {} declined by the processor: {} ({})",
                  entry.paymentId(),
                  entry.orderId(),
                  result.message(),
                  result.declineCode() != null ? result.declineCode() : result.code());
            }
            case REJECTED -> {
              failed++;
              log.error(
                  "payment {} of order {} rejected by the processor, needs review: {} ({})",
                  entry.paymentId(),
                  entry.orderId(),
                  result.message(),
                  result.code());
            }
          }
        }
      }
    } finally {
      passLock.unlock();
    }
  }

  /**
   * Runs a pass in the background every {@code interval} and whenever {@link #wake()} is called.
   */
  public void start(Duration interval) {
    background.start(interval);
  }

  /** Asks for a pass now: after a card payment was queued, or when the connection came back. */
  public void wake() {
    background.wake();
  }

  /**
   * Retries the payments that are backing off now, in a background pass: the edge's link came back,
   * so the processor is likely reachable again, and a backoff grown to minutes while the link was
   * down would hold up the settlements (whose idempotency keys the processor keeps for a limited
   * time) for no reason.
   */
  public void retryNow() {
    int waiting = queue.retryNow(clock.millis());
    if (waiting > 0) {
      log.info("the link is back: retrying {} card settlement(s) now", waiting);
    }
    background.wake();
  }

  @Override
  public void close() {
    background.close();
  }
}
