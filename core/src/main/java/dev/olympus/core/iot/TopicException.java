package dev.olympus.core.iot;

/** A topic outside seed 000's tree; the message says what is wrong. */
public final class TopicException extends Exception {
  public TopicException(String message) {
    super(message);
  }
}
