package dev.olympus.client;

/**
 * Told about each write the server refused (a 4xx), or that was held and given up (see {@link
 * HeldWrite}), and that was dropped from the queue.
 */
@FunctionalInterface
public interface WriteFailureListener {
  /** Called once per refused write, on the client's writer thread. */
  void onWriteFailure(WriteFailure failure);
}
