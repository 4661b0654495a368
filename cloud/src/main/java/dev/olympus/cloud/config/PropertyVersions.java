package dev.olympus.cloud.config;

import dev.olympus.cloud.config.ConfigStore.PropertyState;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.config.ConfigChange;
import dev.olympus.core.config.ConfigOperation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Each property's config version and change log rows: the enterprise lock every writer takes first,
 * the version state, and the mapping of {@code config_versions} rows.
 */
final class PropertyVersions {
  static final String STATE_COLUMNS =
      "property_id, enterprise_id, version, horizon, full_sync_requested_at, full_sync_reason";
  static final String CHANGE_COLUMNS =
      "id, version, entity_type, entity_id, operation, data, changed_at, changed_by";

  private static final String INSERT_CHANGE =
      "INSERT INTO config_versions (id, property_id, version, entity_type, entity_id, operation,"
          + " data, changed_at, changed_by) VALUES (:id, :p, :v, :t, :eid, :op, :data, :at, :by)";

  /** A new property starts here, with its horizon here: a host with no cache must full-sync. */
  static final long BIRTH_VERSION = 1;

  private PropertyVersions() {}

  static List<String> propertiesOf(Handle h, String enterpriseId, String propertyId) {
    if (propertyId != null) {
      return List.of(propertyId);
    }
    return h.createQuery("SELECT id FROM locations WHERE tenant_id = :e ORDER BY id")
        .bind("e", enterpriseId)
        .mapTo(String.class)
        .list();
  }

  static void lockEnterprise(Handle h, String enterpriseId) {
    h.createUpdate(
            "INSERT INTO config_locks (enterprise_id, writes) VALUES (:e, 0)"
                + " ON CONFLICT (enterprise_id) DO NOTHING")
        .bind("e", enterpriseId)
        .execute();
    h.createUpdate("UPDATE config_locks SET writes = writes + 1 WHERE enterprise_id = :e")
        .bind("e", enterpriseId)
        .execute();
  }

  static void ensureState(Handle h, String propertyId, String enterpriseId) {
    h.createUpdate(
            "INSERT INTO config_property_state (property_id, enterprise_id, version, horizon)"
                + " VALUES (:p, :e, :v, :v) ON CONFLICT (property_id) DO NOTHING")
        .bind("p", propertyId)
        .bind("e", enterpriseId)
        .bind("v", BIRTH_VERSION)
        .execute();
  }

  static long bump(Handle h, String propertyId) {
    h.createUpdate("UPDATE config_property_state SET version = version + 1 WHERE property_id = :p")
        .bind("p", propertyId)
        .execute();
    return state(h, propertyId).version();
  }

  static PropertyState state(Handle h, String propertyId) {
    return findState(h, propertyId)
        .orElseThrow(() -> new IllegalStateException("no config state for " + propertyId));
  }

  static Optional<PropertyState> findState(Handle h, String propertyId) {
    return h.createQuery(
            "SELECT " + STATE_COLUMNS + " FROM config_property_state WHERE property_id = :p")
        .bind("p", propertyId)
        .map((rs, ctx) -> state(rs))
        .findOne();
  }

  static PropertyState state(java.sql.ResultSet rs) throws java.sql.SQLException {
    long requested = rs.getLong(5);
    boolean pending = !rs.wasNull();
    return new PropertyState(
        rs.getString(1),
        rs.getString(2),
        rs.getLong(3),
        rs.getLong(4),
        pending ? requested : null,
        rs.getString(6));
  }

  static ConfigChange change(java.sql.ResultSet rs) throws java.sql.SQLException {
    String data = rs.getString(6);
    return new ConfigChange(
        rs.getString(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        ConfigOperation.valueOf(rs.getString(5)),
        data == null ? null : Json.readMap(data),
        Instant.ofEpochMilli(rs.getLong(7)).toString(),
        rs.getString(8));
  }

  /** Appends one change to the property's log. */
  static void append(Handle h, String propertyId, ConfigChange c) {
    bindChange(h.createUpdate(INSERT_CHANGE), propertyId, c).execute();
  }

  /** The property's changes with {@code after < version <= upTo}, by version. */
  static List<ConfigChange> changes(Handle h, String propertyId, long after, long upTo) {
    return h.createQuery(
            "SELECT "
                + CHANGE_COLUMNS
                + " FROM config_versions WHERE property_id = :p AND version > :after"
                + " AND version <= :upTo ORDER BY version")
        .bind("p", propertyId)
        .bind("after", after)
        .bind("upTo", upTo)
        .map((rs, ctx) -> change(rs))
        .list();
  }

  /** Replaces the property's log at or below {@code horizon} by {@code kept}, and records it. */
  static void rewriteUpTo(Handle h, String propertyId, long horizon, List<ConfigChange> kept) {
    h.createUpdate("DELETE FROM config_versions WHERE property_id = :p AND version <= :h")
        .bind("p", propertyId)
        .bind("h", horizon)
        .execute();
    if (!kept.isEmpty()) {
      PreparedBatch batch = h.prepareBatch(INSERT_CHANGE);
      for (ConfigChange c : kept) {
        bindChange(batch, propertyId, c).add();
      }
      batch.execute();
    }
    h.createUpdate("UPDATE config_property_state SET horizon = :h WHERE property_id = :p")
        .bind("h", horizon)
        .bind("p", propertyId)
        .execute();
  }

  private static <T extends SqlStatement<T>> T bindChange(
      T statement, String propertyId, ConfigChange c) {
    return statement
        .bind("id", c.id())
        .bind("p", propertyId)
        .bind("v", c.version())
        .bind("t", c.entityType())
        .bind("eid", c.entityId())
        .bind("op", c.operation().name())
        .bind("data", c.data() == null ? null : Json.write(c.data()))
        .bind("at", Instant.parse(c.changedAt()).toEpochMilli())
        .bind("by", c.changedBy());
  }

  /** Records that the property's host must full-sync; a full snapshot served later clears it. */
  static void requestFullSync(Handle h, String propertyId, String reason, long now) {
    h.createUpdate(
            "UPDATE config_property_state SET full_sync_requested_at = :now,"
                + " full_sync_reason = :r WHERE property_id = :p")
        .bind("now", now)
        .bind("r", reason)
        .bind("p", propertyId)
        .execute();
  }
}
