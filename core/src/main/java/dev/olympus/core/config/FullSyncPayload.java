package dev.olympus.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.olympus.core.sync.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Seed 003's full snapshot of one property's config. On the wire: {@code version}, {@code
 * timestamp}, {@code propertyId}, {@code enterprise}, {@code property}, then one array per synced
 * type under its {@link EntityType#payloadKey()} ({@code revenueCenters}, {@code menuItems}, …).
 * Tier 6 arrays are present only when the property's feature flags enable them; the others are
 * always present, empty when there is nothing. Each entity carries its {@code id}.
 *
 * @param version the property's config version this snapshot is at
 * @param timestamp ISO-8601 instant the snapshot was made
 * @param propertyId the property
 * @param enterprise the enterprise's data
 * @param property the property's data (with {@code features})
 * @param entities entity type (table) → entities, for the types other than enterprises and
 *     properties; a tier 6 type absent here is disabled for the property
 */
public record FullSyncPayload(
    long version,
    String timestamp,
    String propertyId,
    Map<String, Object> enterprise,
    Map<String, Object> property,
    Map<String, List<Map<String, Object>>> entities) {
  public FullSyncPayload {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(propertyId, "propertyId");
    enterprise = JsonValues.immutableCopy(Objects.requireNonNull(enterprise, "enterprise"));
    property = JsonValues.immutableCopy(Objects.requireNonNull(property, "property"));
    Map<String, List<Map<String, Object>>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<Map<String, Object>>> e : entities.entrySet()) {
      EntityType type = ConfigRegistry.require(e.getKey());
      if (!type.synced() || isSingleton(type)) {
        throw new IllegalArgumentException(e.getKey() + " is not an array of a full sync payload");
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map<String, Object> row : e.getValue()) {
        rows.add(JsonValues.immutableCopy(row));
      }
      copy.put(e.getKey(), List.copyOf(rows));
    }
    entities = java.util.Collections.unmodifiableMap(copy);
  }

  /** The entities of one type (empty when none or disabled). */
  public List<Map<String, Object>> entities(String entityType) {
    return entities.getOrDefault(entityType, List.of());
  }

  /** The JSON object in seed 003's key order. */
  @JsonValue
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", version);
    json.put("timestamp", timestamp);
    json.put("propertyId", propertyId);
    json.put("enterprise", enterprise);
    json.put("property", property);
    for (EntityType type : ConfigRegistry.synced()) {
      if (isSingleton(type)) {
        continue;
      }
      List<Map<String, Object>> rows = entities.get(type.table());
      if (rows != null) {
        json.put(type.payloadKey(), rows);
      } else if (type.featureFlag() == null) {
        json.put(type.payloadKey(), List.of());
      }
    }
    return json;
  }

  /**
   * Reads the JSON object {@link #toJson()} writes. Unknown keys are ignored so an older host reads
   * a newer cloud's payload.
   *
   * @throws IllegalArgumentException naming the key when a known key has the wrong shape
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static FullSyncPayload fromJson(Map<String, Object> json) {
    Map<String, List<Map<String, Object>>> entities = new LinkedHashMap<>();
    for (EntityType type : ConfigRegistry.synced()) {
      if (isSingleton(type) || !json.containsKey(type.payloadKey())) {
        continue;
      }
      Object value = json.get(type.payloadKey());
      if (!(value instanceof List<?> list)) {
        throw new IllegalArgumentException(
            type.payloadKey() + " must be an array, was " + FieldKind.describe(value));
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Object row : list) {
        rows.add(object(type.payloadKey() + "[]", row));
      }
      entities.put(type.table(), rows);
    }
    Object version = json.get("version");
    if (!(version instanceof Number n)) {
      throw new IllegalArgumentException(
          "version must be an integer, was " + FieldKind.describe(version));
    }
    return new FullSyncPayload(
        n.longValue(),
        text(json, "timestamp"),
        text(json, "propertyId"),
        object("enterprise", json.get("enterprise")),
        object("property", json.get("property")),
        entities);
  }

  /**
   * This payload as a snapshot: {@code enterprises} and {@code properties} hold the one enterprise
   * and property, every other type its entities by {@code id}.
   */
  public ConfigSnapshot toSnapshot() {
    Map<String, Map<String, Map<String, Object>>> all = new LinkedHashMap<>();
    all.put("enterprises", Map.of(idOf("enterprise", enterprise), enterprise));
    all.put("properties", Map.of(idOf("property", property), property));
    entities.forEach(
        (type, rows) -> {
          Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
          for (Map<String, Object> row : rows) {
            byId.put(idOf(type, row), row);
          }
          all.put(type, byId);
        });
    return ConfigSnapshot.of(version, all);
  }

  private static boolean isSingleton(EntityType type) {
    return type.table().equals("enterprises") || type.table().equals("properties");
  }

  private static String idOf(String what, Map<String, Object> row) {
    if (!(row.get("id") instanceof String id)) {
      throw new IllegalArgumentException(what + " entity has no string id: " + row.keySet());
    }
    return id;
  }

  private static String text(Map<String, Object> json, String key) {
    if (!(json.get(key) instanceof String s)) {
      throw new IllegalArgumentException(
          key + " must be a string, was " + FieldKind.describe(json.get(key)));
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String key, Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          key + " must be an object, was " + FieldKind.describe(value));
    }
    return (Map<String, Object>) m;
  }
}
