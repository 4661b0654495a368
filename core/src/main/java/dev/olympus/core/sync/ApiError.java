package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * An error a person can act on: a stable code, a sentence that says what is wrong and what to do,
 * and the field at fault when there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(
    @JsonProperty("error") String code,
    @JsonProperty("message") String message,
    @JsonProperty("field") String field) {
  public ApiError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public static ApiError of(String code, String message) {
    return new ApiError(code, message, null);
  }
}
