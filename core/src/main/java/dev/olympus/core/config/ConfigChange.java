package dev.olympus.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.olympus.core.sync.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * One change of one config entity, seed 003's {@code ConfigChange}. {@code data} is the whole
 * entity after the change as hosts may see it (never a patch), so the latest change of an entity
 * alone says its state.
 *
 * @param id the change's id (UUIDv7)
 * @param version the property's config version this change was committed under (added to seed 003's
 *     shape: hosts order and resume by it)
 * @param entityType the table, e.g. {@code menu_items}
 * @param entityId the entity's id
 * @param operation INSERT, UPDATE or DELETE
 * @param data the entity after the change; null for DELETE
 * @param changedAt ISO-8601 instant
 * @param changedBy who made the change, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigChange(
    @JsonProperty("id") String id,
    @JsonProperty("version") long version,
    @JsonProperty("entityType") String entityType,
    @JsonProperty("entityId") String entityId,
    @JsonProperty("operation") ConfigOperation operation,
    @JsonProperty("data") Map<String, Object> data,
    @JsonProperty("changedAt") String changedAt,
    @JsonProperty("changedBy") String changedBy) {
  public ConfigChange {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(entityType, "entityType");
    Objects.requireNonNull(entityId, "entityId");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(changedAt, "changedAt");
    if (operation == ConfigOperation.DELETE) {
      data = null;
    } else {
      Objects.requireNonNull(data, "data (required for " + operation + ")");
      data = JsonValues.immutableCopy(data);
    }
  }

  /** The entity this change is about, as one key. */
  public EntityKey key() {
    return new EntityKey(entityType, entityId);
  }

  /** An entity's identity: its type (table) and id. */
  public record EntityKey(String entityType, String entityId) {}
}
