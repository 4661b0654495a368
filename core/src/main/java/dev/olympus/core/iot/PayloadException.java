package dev.olympus.core.iot;

/** A payload that cannot be read; the message names the field and what is expected. */
public final class PayloadException extends Exception {
  public PayloadException(String message) {
    super(message);
  }
}
