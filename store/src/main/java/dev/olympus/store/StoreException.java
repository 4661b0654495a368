package dev.olympus.store;

/** A database could not be opened or used; the message says which and what to do. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
