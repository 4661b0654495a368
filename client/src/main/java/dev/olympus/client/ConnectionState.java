package dev.olympus.client;

/** Where the client's real-time connection stands (seed 002's green, yellow and red). */
public enum ConnectionState {
  /** A connection to an endpoint is being opened. */
  CONNECTING,
  /** Connected and welcomed by an endpoint: changes arrive live and writes go straight out. */
  CONNECTED,
  /** No connection: writes are queued; the client retries after a backoff. */
  OFFLINE
}
