package dev.olympus.client;

import java.util.Objects;

/**
 * A write the server refused as bad input (a 4xx): it was dropped from the queue and will not be
 * retried. Fix the input and write again.
 *
 * @param write the refused write
 * @param httpStatus the 4xx status
 * @param error the error code from the body, e.g. {@code not_found} ("" if none)
 * @param message the server's sentence ("" if none)
 */
public record WriteFailure(PendingWrite write, int httpStatus, String error, String message) {
  /** Checks for nulls. */
  public WriteFailure {
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(message, "message");
  }
}
