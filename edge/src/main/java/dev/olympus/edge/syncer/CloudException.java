package dev.olympus.edge.syncer;

/**
 * A call to the cloud failed: either the cloud could not be reached ({@link #unreachable()}: the
 * edge is offline) or it answered with an error status.
 */
public final class CloudException extends Exception {
  private final int status;

  private CloudException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The cloud could not be reached at all. */
  public static CloudException unreachable(String message, Throwable cause) {
    return new CloudException(message, 0, cause);
  }

  /** The cloud answered with an error. */
  public static CloudException status(String message, int status) {
    return new CloudException(message, status, null);
  }

  public boolean unreachable() {
    return status == 0;
  }

  /** The HTTP status, 0 when the cloud was unreachable. */
  public int status() {
    return status;
  }
}
