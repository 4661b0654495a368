package dev.olympus.edge.payments;

import org.jdbi.v3.core.Handle;

/**
 * Told of each processor answer inside the transaction that records it: the place to update the
 * payment record (and its outbox op) so that it commits, or not, together with the queue.
 */
@FunctionalInterface
public interface SettlementListener {
  SettlementListener NONE = (h, entry, result) -> {};

  void onAnswered(Handle h, SettlementEntry entry, ChargeResult result);
}
