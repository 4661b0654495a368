package dev.olympus.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The state of the client's connection, with the endpoint it concerns and a sentence on why.
 * Immutable.
 */
public final class ConnectionStatus {
  private final ConnectionState state;
  private final String endpoint;
  private final String stream;
  private final String detail;

  /**
   * A status.
   *
   * @param state the state
   * @param endpoint the base URL being connected to or connected to, null when none
   * @param stream the stream the endpoint serves (when connected), else null
   * @param detail why, for people (e.g. the close reason), never null
   */
  public ConnectionStatus(ConnectionState state, String endpoint, String stream, String detail) {
    this.state = Objects.requireNonNull(state, "state");
    this.endpoint = endpoint;
    this.stream = stream;
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** The state. */
  public ConnectionState state() {
    return state;
  }

  /** The base URL connected to (CONNECTED), being tried (CONNECTING) or last tried (OFFLINE). */
  public Optional<String> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** The stream of the connected endpoint, e.g. {@code edge:e-42}; empty unless CONNECTED. */
  public Optional<String> stream() {
    return Optional.ofNullable(stream);
  }

  /** A sentence for people on why the client is in this state. */
  public String detail() {
    return detail;
  }

  /** Whether this status is CONNECTED to {@code baseUrl}. */
  public boolean isConnectedTo(String baseUrl) {
    return state == ConnectionState.CONNECTED && Objects.equals(endpoint, baseUrl);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionStatus s
        && s.state == state
        && Objects.equals(s.endpoint, endpoint)
        && Objects.equals(s.stream, stream)
        && s.detail.equals(detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, endpoint, stream, detail);
  }

  @Override
  public String toString() {
    return state
        + (endpoint == null ? "" : " " + endpoint)
        + (detail.isEmpty() ? "" : ": " + detail);
  }
}
