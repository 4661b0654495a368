package dev.olympus.core.config;

import java.util.Objects;

/**
 * What is wrong with one field of a config entity, in words a person can act on.
 *
 * @param field the field at fault
 * @param code a stable code: {@code missing_field}, {@code invalid_field}
 * @param message what is wrong and what is expected
 */
public record FieldProblem(String field, String code, String message) {
  public FieldProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
