package dev.olympus.core.iot;

/** No alert with that id. */
public final class UnknownAlertException extends Exception {
  public UnknownAlertException() {
    super("unknown alert");
  }
}
