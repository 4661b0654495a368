package dev.olympus.cloud.http;

import dev.olympus.core.sync.ApiError;

/** A request the cloud refuses, with the HTTP status and the JSON error the caller receives. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final ApiError error;

  public ApiException(int status, ApiError error) {
    super(error.message(), null, false, false);
    this.status = status;
    this.error = error;
  }

  public ApiException(int status, String code, String message, String field) {
    this(status, new ApiError(code, message, field));
  }

  public int status() {
    return status;
  }

  public ApiError error() {
    return error;
  }

  public static ApiException badRequest(String code, String message, String field) {
    return new ApiException(400, code, message, field);
  }

  public static ApiException invalidField(String field, String message) {
    return new ApiException(400, "invalid_field", message, field);
  }

  public static ApiException missingField(String field) {
    return new ApiException(
        400, "missing_field", "the field '" + field + "' is required: add it to the body", field);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message, null);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message, null);
  }

  public static ApiException conflict(String message, String field) {
    return new ApiException(409, "conflict", message, field);
  }
}
