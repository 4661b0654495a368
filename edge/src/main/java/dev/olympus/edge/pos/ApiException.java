package dev.olympus.edge.pos;

import dev.olympus.core.sync.ApiError;

/**
 * Bad input, or a request the edge refuses, on the LAN API: answered as a 4xx with a JSON {@link
 * ApiError}. Public so that each feature's routes (orders, payments, …) answer alike.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final ApiError error;
  private final boolean replayed;

  public ApiException(int status, String code, String message, String field) {
    this(status, new ApiError(code, message, field), false);
  }

  public ApiException(int status, ApiError error) {
    this(status, error, false);
  }

  private ApiException(int status, ApiError error, boolean replayed) {
    super(error.message());
    this.status = status;
    this.error = error;
    this.replayed = replayed;
  }

  /**
   * The refusal first answered to a write with the same Idempotency-Key, answered again: the
   * response says so with {@code Idempotent-Replayed: true}.
   */
  public static ApiException replayed(int status, ApiError error) {
    return new ApiException(status, error, true);
  }

  public int status() {
    return status;
  }

  public ApiError error() {
    return error;
  }

  /** Whether this is a remembered refusal answered again rather than a new decision. */
  public boolean isReplayed() {
    return replayed;
  }
}
