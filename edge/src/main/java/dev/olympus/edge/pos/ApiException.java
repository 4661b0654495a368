package dev.olympus.edge.pos;

import dev.olympus.core.sync.ApiError;

/** Bad input on the LAN API: answered as a 4xx with a JSON {@link ApiError}. */
final class ApiException extends RuntimeException {
  private final int status;
  private final ApiError error;

  ApiException(int status, String code, String message, String field) {
    super(message);
    this.status = status;
    this.error = new ApiError(code, message, field);
  }

  int status() {
    return status;
  }

  ApiError error() {
    return error;
  }
}
