package dev.olympus.edge.pos;

import dev.olympus.core.sync.ApiError;

/**
 * Bad input, or a request the edge refuses, on the LAN API: answered as a 4xx with a JSON {@link
 * ApiError}. Public so that each feature's routes (orders, payments, …) answer alike.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final ApiError error;

  public ApiException(int status, String code, String message, String field) {
    super(message);
    this.status = status;
    this.error = new ApiError(code, message, field);
  }

  public int status() {
    return status;
  }

  public ApiError error() {
    return error;
  }
}
