package dev.olympus.client;

/**
 * Completes a write's future when the server refused it as bad input; the write was dropped from
 * the queue. {@link #failure()} has the status and the server's error.
 */
public final class WriteRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The refusal. */
  private final transient WriteFailure failure;

  /** An exception for {@code failure}. */
  public WriteRejectedException(WriteFailure failure) {
    super(
        failure.write().method()
            + " "
            + failure.write().collection()
            + "/"
            + failure.write().id()
            + " was refused with "
            + failure.httpStatus()
            + " "
            + failure.error()
            + ": "
            + failure.message()
            + " (dropped from the queue; fix the input and write again)");
    this.failure = failure;
  }

  /** The refusal. */
  public WriteFailure failure() {
    return failure;
  }
}
