package dev.olympus.client;

/** A registered listener; cancel it to stop receiving events. */
@FunctionalInterface
public interface Subscription {
  /** Removes the listener. Idempotent. */
  void cancel();
}
