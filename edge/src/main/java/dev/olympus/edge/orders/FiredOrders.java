package dev.olympus.edge.orders;

import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;

/**
 * Sends orders to the kitchen when they are fired (leaving {@code pending} for {@code confirmed},
 * {@code preparing} or {@code ready}). In two steps: {@link #prepare()} reads what routing needs
 * (the config) before the transaction, because the transaction holds the database's one writer
 * connection; the {@link Dispatch} it returns then queues the tickets inside the transaction that
 * records the status, so they commit together or not at all.
 */
@FunctionalInterface
public interface FiredOrders {
  FiredOrders NONE = () -> (tx, order, lineIds) -> {};

  Dispatch prepare();

  /** Queues a fired order's tickets inside the caller's transaction; reads nothing else. */
  @FunctionalInterface
  interface Dispatch {
    /**
     * @param lineIds the lines to send, or null for all of them (the order's first firing); items
     *     added to an order already in the kitchen are sent on their own
     */
    void onFired(RecordStore.Tx tx, LocalRecord order, java.util.Set<String> lineIds);
  }
}
