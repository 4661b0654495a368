package dev.olympus.cloud.config;

import dev.olympus.cloud.config.ConfigStore.StoredEntity;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.EntityType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Reads of the {@code config_entities} table, shared by the store and its checks. */
final class EntityRows {
  static final String COLUMNS = "enterprise_id, entity_type, id, property_id, data, updated_at";

  private EntityRows() {}

  static StoredEntity existing(Handle h, EntityType type, String id, String enterpriseId) {
    return findAnywhere(h, type, id, enterpriseId)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no "
                        + type.table()
                        + " '"
                        + Bodies.abbreviate(id)
                        + "'"
                        + (enterpriseId == null ? "" : " in enterprise " + enterpriseId)
                        + ": check the id (GET /api/v1/config/"
                        + type.table()
                        + " lists them)"));
  }

  static Optional<StoredEntity> findAnywhere(
      Handle h, EntityType type, String id, String enterpriseId) {
    if (enterpriseId != null) {
      return find(h, enterpriseId, type.table(), id);
    }
    List<StoredEntity> found =
        h.createQuery(
                "SELECT "
                    + COLUMNS
                    + " FROM config_entities WHERE entity_type = :t AND id = :id"
                    + " ORDER BY enterprise_id LIMIT 2")
            .bind("t", type.table())
            .bind("id", id)
            .map((rs, ctx) -> entity(rs))
            .list();
    if (found.size() > 1) {
      throw ApiException.conflict(
          "more than one enterprise has "
              + type.table()
              + " '"
              + Bodies.abbreviate(id)
              + "': add ?enterprise_id= to say which",
          ConfigRegistry.ENTERPRISE_ID);
    }
    return found.stream().findFirst();
  }

  static Optional<StoredEntity> find(Handle h, String enterpriseId, String entityType, String id) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM config_entities WHERE enterprise_id = :e AND entity_type = :t AND id = :id")
        .bind("e", enterpriseId)
        .bind("t", entityType)
        .bind("id", id)
        .map((rs, ctx) -> entity(rs))
        .findOne();
  }

  /** Enterprises and properties are created by the admin API; config only edits their settings. */
  static boolean isSingleton(EntityType type) {
    return type.table().equals("enterprises") || type.table().equals("properties");
  }

  /** The stored enterprise or property, or its directory view when no settings were stored. */
  static StoredEntity singleton(Handle h, EntityType type, String id) {
    String enterpriseId;
    String propertyId = null;
    if (type.table().equals("enterprises")) {
      boolean exists =
          h.createQuery("SELECT count(*) FROM tenants WHERE id = :id")
                  .bind("id", id)
                  .mapTo(Long.class)
                  .one()
              > 0;
      if (!exists) {
        throw ApiException.notFound(
            "no enterprise (tenant) '"
                + Bodies.abbreviate(id)
                + "': create it with POST /api/v1/admin/tenants");
      }
      enterpriseId = id;
    } else {
      enterpriseId =
          h.createQuery("SELECT tenant_id FROM locations WHERE id = :id")
              .bind("id", id)
              .mapTo(String.class)
              .findOne()
              .orElseThrow(
                  () ->
                      ApiException.notFound(
                          "no property (location) '"
                              + Bodies.abbreviate(id)
                              + "': create it with the admin locations API"));
      propertyId = id;
    }
    Optional<StoredEntity> stored = find(h, enterpriseId, type.table(), id);
    if (stored.isPresent()) {
      return stored.get();
    }
    return new StoredEntity(
        enterpriseId,
        type.table(),
        id,
        propertyId,
        effective(h, type.table(), enterpriseId, id, propertyId),
        0);
  }

  /** The entity's stored data, or the directory's name for an enterprise or property not set. */
  static Map<String, Object> effective(
      Handle h, String entityType, String enterpriseId, String id, String propertyId) {
    Optional<StoredEntity> stored = find(h, enterpriseId, entityType, id);
    if (stored.isPresent()) {
      return stored.get().data();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", id);
    data.put(ConfigRegistry.ENTERPRISE_ID, enterpriseId);
    String table = entityType.equals("enterprises") ? "tenants" : "locations";
    h.createQuery("SELECT name FROM " + table + " WHERE id = :id")
        .bind("id", id)
        .mapTo(String.class)
        .findOne()
        .ifPresent(name -> data.put("name", name));
    if (propertyId != null) {
      data.put(ConfigRegistry.PROPERTY_ID, propertyId);
    }
    return data;
  }

  static StoredEntity entity(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new StoredEntity(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        Json.readMap(rs.getString(5)),
        rs.getLong(6));
  }
}
