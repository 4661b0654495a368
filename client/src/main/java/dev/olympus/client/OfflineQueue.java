package dev.olympus.client;

import java.io.IOException;
import java.util.Optional;

/**
 * Where writes wait while the client cannot reach a server, in order, across restarts. The client
 * calls it from one thread at a time. The default is {@link JsonLinesOfflineQueue}; plug another
 * (SQLite, Android Room) with {@link OlympusClient.Builder#offlineQueue(OfflineQueue)}.
 */
public interface OfflineQueue extends AutoCloseable {
  /** Appends {@code write} durably: when this returns, the write survives a crash. */
  void append(PendingWrite write) throws IOException;

  /** The oldest write, if any. */
  Optional<PendingWrite> peek() throws IOException;

  /**
   * Removes the write with {@code opId} (normally the oldest), durably. Unknown ids are ignored.
   */
  void remove(String opId) throws IOException;

  /** How many writes wait. */
  int size();

  /** Releases files and handles. */
  @Override
  void close() throws IOException;
}
