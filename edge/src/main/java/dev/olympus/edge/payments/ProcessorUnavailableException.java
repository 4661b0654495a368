package dev.olympus.edge.payments;

/**
 * The processor could not be reached or asked to retry later; whether it charged is unknown, so the
 * same request (same idempotency key) must be sent again.
 */
public final class ProcessorUnavailableException extends Exception {
  public ProcessorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public ProcessorUnavailableException(String message) {
    super(message);
  }
}
