package dev.olympus.client;

import java.util.Objects;

/**
 * A write the server refused as bad input (a 4xx), or a {@link HeldWrite} given up because a
 * fallback endpoint still did not know its record at the missing-record timeout: it was dropped
 * from the queue and will not be retried. {@link #message()} says what to do before writing again.
 *
 * @param write the refused write
 * @param httpStatus the 4xx status
 * @param error the error code from the body, e.g. {@code not_found} ("" if none)
 * @param message the server's sentence, or the client's for a held write given up ("" if none)
 */
public record WriteFailure(PendingWrite write, int httpStatus, String error, String message) {
  /** Checks for nulls. */
  public WriteFailure {
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(message, "message");
  }
}
