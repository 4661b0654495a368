package dev.olympus.edge.config;

/**
 * The cloud answered, but not as the config sync protocol promises (unreadable JSON, a wrong shape,
 * another property's payload, an unexpected 4xx). Retrying at once would get the same answer: the
 * sync is skipped until the next heartbeat.
 */
public final class InvalidResponseException extends Exception {
  private final int status;

  InvalidResponseException(String message, Throwable cause) {
    this(message, cause, 0);
  }

  InvalidResponseException(String message, Throwable cause, int status) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status when the cloud refused the call, 0 when it answered 2xx with bad content. */
  public int status() {
    return status;
  }
}
