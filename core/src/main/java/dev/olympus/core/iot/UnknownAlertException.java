package dev.olympus.core.iot;

/** No open or recently closed alert has this id. */
public final class UnknownAlertException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownAlertException() {
    super("unknown alert");
  }
}
