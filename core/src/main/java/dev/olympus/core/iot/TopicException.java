package dev.olympus.core.iot;

/** A topic outside the tree; the message says what is wrong. */
public final class TopicException extends Exception {
  private static final long serialVersionUID = 1L;

  public TopicException(String message) {
    super(message);
  }
}
