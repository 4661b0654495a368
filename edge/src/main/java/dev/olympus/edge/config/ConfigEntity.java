package dev.olympus.edge.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration entity from the cache, as the cloud sent it.
 *
 * @param type its table name in seed 003 ({@code menu_items}, {@code employees}, …)
 * @param id its id
 * @param data its fields (snake_case, as the cloud's admin API names them)
 */
public record ConfigEntity(String type, String id, Map<String, Object> data) {
  public ConfigEntity {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }

  /** A field as text; empty when it is missing, null or not a string. */
  public Optional<String> text(String field) {
    return data.get(field) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** A field as a number; empty when it is missing, null or not a number. */
  public Optional<Number> number(String field) {
    return data.get(field) instanceof Number n ? Optional.of(n) : Optional.empty();
  }
}
