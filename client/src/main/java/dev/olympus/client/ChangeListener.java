package dev.olympus.client;

/**
 * Receives changes, one at a time, in order, on the client's delivery thread. Keep it quick (hand
 * long work to your own executor): the next change waits for it. An exception it throws is logged
 * and the change counts as delivered.
 */
@FunctionalInterface
public interface ChangeListener {
  /** Called once for each change the listener subscribed to. */
  void onChange(Change change);
}
