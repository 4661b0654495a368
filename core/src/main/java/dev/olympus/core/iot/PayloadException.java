package dev.olympus.core.iot;

/** A payload that cannot be used; the message names the field and what is expected. */
public final class PayloadException extends Exception {
  private static final long serialVersionUID = 1L;

  public PayloadException(String message) {
    super(message);
  }
}
