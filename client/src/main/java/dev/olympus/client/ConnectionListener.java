package dev.olympus.client;

/** Told each time the connection state or endpoint changes, on the client's delivery thread. */
@FunctionalInterface
public interface ConnectionListener {
  /** Called with the new status. */
  void onConnectionChange(ConnectionStatus status);
}
