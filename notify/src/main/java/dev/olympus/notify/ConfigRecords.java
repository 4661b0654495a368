package dev.olympus.notify;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Read access to a location's synced configuration entities, as {@link ConfigRecipientDirectory}
 * needs it. One implementation per tier: the edge's config cache, the cloud's config store.
 */
@FunctionalInterface
public interface ConfigRecords {
  /**
   * Every entity of {@code entityType} (a seed 003 table name such as {@code employees}) that the
   * location sees, its own and the enterprise-wide ones.
   */
  List<ConfigRecord> list(String tenantId, String locationId, String entityType);

  /** One configuration entity: its id and its fields, snake_case as the admin API names them. */
  record ConfigRecord(String id, Map<String, Object> data) {
    public ConfigRecord {
      Objects.requireNonNull(id, "id");
      data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }

    String text(String field) {
      return data.get(field) instanceof String s && !s.isBlank() ? s : null;
    }
  }
}
