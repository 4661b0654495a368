package dev.olympus.cloud.config;

import dev.olympus.cloud.config.ConfigStore.StoredEntity;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.ConfigScope;
import dev.olympus.core.config.EntityType;
import dev.olympus.core.config.FieldSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The checks a config write makes inside its transaction: where the entity lives (its scope), that
 * every reference names an entity it may see, and, before a delete, who still points at it.
 */
final class EntityChecks {
  /** Where an entity lives: its enterprise, and its property unless enterprise-wide. */
  record Scope(String enterpriseId, String propertyId) {}

  private EntityChecks() {}

  /** Where an entity of {@code type} with {@code data} lives; 400 naming the field when unclear. */
  static Scope scopeOf(Handle h, EntityType type, String id, Map<String, Object> data) {
    String propertyId = text(data, ConfigRegistry.PROPERTY_ID);
    String enterpriseId = text(data, ConfigRegistry.ENTERPRISE_ID);
    if (type.table().equals("enterprises")) {
      if (enterpriseId != null && !enterpriseId.equals(id)) {
        throw wrongScope(
            type, ConfigRegistry.ENTERPRISE_ID, "an enterprise's enterprise_id is its id");
      }
      requireTenant(h, id, "id");
      return new Scope(id, null);
    }
    if (type.table().equals("properties")) {
      if (propertyId != null && !propertyId.equals(id)) {
        throw wrongScope(type, ConfigRegistry.PROPERTY_ID, "a property's property_id is its id");
      }
      String tenant = tenantOfLocation(h, id, "id");
      checkSameEnterprise(type, enterpriseId, tenant);
      return new Scope(tenant, id);
    }
    boolean propertyAllowed = type.scope() != ConfigScope.ENTERPRISE;
    if (propertyId != null) {
      if (!propertyAllowed) {
        throw wrongScope(
            type,
            ConfigRegistry.PROPERTY_ID,
            type.table() + " are enterprise-wide: leave out property_id and send enterprise_id");
      }
      String tenant = tenantOfLocation(h, propertyId, ConfigRegistry.PROPERTY_ID);
      checkSameEnterprise(type, enterpriseId, tenant);
      return new Scope(tenant, propertyId);
    }
    if (type.scope() == ConfigScope.PROPERTY) {
      throw new ApiException(
          400,
          "missing_field",
          type.table() + " belong to one property: send property_id (a location id)",
          ConfigRegistry.PROPERTY_ID);
    }
    if (enterpriseId == null) {
      throw new ApiException(
          400,
          "missing_field",
          type.table()
              + " belong to an enterprise: send enterprise_id (a tenant id)"
              + (propertyAllowed ? " or property_id" : ""),
          ConfigRegistry.ENTERPRISE_ID);
    }
    requireTenant(h, enterpriseId, ConfigRegistry.ENTERPRISE_ID);
    return new Scope(enterpriseId, null);
  }

  static void checkSameEnterprise(EntityType type, String sent, String actual) {
    if (sent != null && !sent.equals(actual)) {
      throw wrongScope(
          type,
          ConfigRegistry.ENTERPRISE_ID,
          "enterprise_id '"
              + Bodies.abbreviate(sent)
              + "' is not the enterprise of that property ("
              + actual
              + "): leave it out or fix it");
    }
  }

  static ApiException wrongScope(EntityType type, String field, String message) {
    return ApiException.badRequest("wrong_scope", type.table() + ": " + message, field);
  }

  static void requireTenant(Handle h, String tenantId, String field) {
    boolean exists =
        h.createQuery("SELECT count(*) FROM tenants WHERE id = :id")
                .bind("id", tenantId)
                .mapTo(Long.class)
                .one()
            > 0;
    if (!exists) {
      throw ApiException.badRequest(
          "unknown_reference",
          "no enterprise (tenant) '"
              + Bodies.abbreviate(tenantId)
              + "': create it with POST /api/v1/admin/tenants first",
          field);
    }
  }

  static String tenantOfLocation(Handle h, String locationId, String field) {
    return h.createQuery("SELECT tenant_id FROM locations WHERE id = :id")
        .bind("id", locationId)
        .mapTo(String.class)
        .findOne()
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "unknown_reference",
                    "no property (location) '"
                        + Bodies.abbreviate(locationId)
                        + "': create it with the admin locations API first",
                    field));
  }

  /**
   * Every reference must name an entity of the target type in the same enterprise, and, when the
   * target belongs to a property, in the same property: another tenant's ids are as unknown as
   * made-up ones.
   */
  static void checkReferences(Handle h, EntityType type, Scope scope, Map<String, Object> data) {
    for (FieldSpec ref : type.references()) {
      Object value = data.get(ref.name());
      if (value == null) {
        continue;
      }
      List<?> ids = value instanceof List<?> l ? l : List.of(value);
      for (Object id : ids) {
        Optional<StoredEntity> target =
            EntityRows.find(h, scope.enterpriseId(), ref.references(), String.valueOf(id));
        boolean visible =
            target.isPresent()
                && (target.get().propertyId() == null
                    || target.get().propertyId().equals(scope.propertyId()));
        if (!visible) {
          throw ApiException.badRequest(
              "unknown_reference",
              type.table()
                  + "."
                  + ref.name()
                  + ": '"
                  + Bodies.abbreviate(String.valueOf(id))
                  + "' is not one of the "
                  + ref.references()
                  + " of "
                  + describe(scope.enterpriseId(), scope.propertyId())
                  + ": create it first or use an existing id",
              ref.name());
        }
      }
    }
  }

  /** The entities that point at {@code target}, as {@code type id (field)}, at most ten. */
  static List<String> referrers(Handle h, EntityType targetType, StoredEntity target) {
    List<String> found = new ArrayList<>();
    String pattern = "%\"" + likeEscape(target.id()) + "\"%";
    for (EntityType type : ConfigRegistry.all()) {
      for (FieldSpec ref : type.references()) {
        if (!ref.references().equals(targetType.table())) {
          continue;
        }
        // The LIKE narrows to rows mentioning the id; the JSON check below decides.
        List<StoredEntity> candidates =
            h.createQuery(
                    "SELECT "
                        + EntityRows.COLUMNS
                        + " FROM config_entities WHERE enterprise_id = :e AND entity_type = :t"
                        + " AND data LIKE :pattern ESCAPE '\\' ORDER BY id")
                .bind("e", target.enterpriseId())
                .bind("t", type.table())
                .bind("pattern", pattern)
                .map((rs, ctx) -> EntityRows.entity(rs))
                .list();
        for (StoredEntity c : candidates) {
          Object value = c.data().get(ref.name());
          boolean points =
              value instanceof List<?> l ? l.contains(target.id()) : target.id().equals(value);
          if (points && found.size() < 10) {
            found.add(type.table() + " " + c.id() + " (" + ref.name() + ")");
          }
        }
      }
    }
    return found;
  }

  static String likeEscape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  static String text(Map<String, Object> data, String field) {
    Object v = data.get(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw ApiException.invalidField(field, field + " must be a string (an id), was " + v);
    }
    return s;
  }

  static String describe(String enterpriseId, String propertyId) {
    return propertyId == null
        ? "enterprise " + enterpriseId
        : "property " + propertyId + " (enterprise " + enterpriseId + ")";
  }
}
