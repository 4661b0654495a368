package dev.olympus.edge.store;

import dev.olympus.core.sync.ApiError;

/** A local write the edge refuses (append-only, stale If-Match, absent record), with its status. */
public final class WriteRefusedException extends RuntimeException {
  private final int status;
  private final ApiError error;

  public WriteRefusedException(int status, ApiError error) {
    super(error.message());
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  public ApiError error() {
    return error;
  }
}
