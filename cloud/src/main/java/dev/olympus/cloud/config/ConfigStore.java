package dev.olympus.cloud.config;

import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.config.ConfigChange;
import dev.olympus.core.config.ConfigChanges;
import dev.olympus.core.config.ConfigOperation;
import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.DeltaPlan;
import dev.olympus.core.config.DeltaSyncPayload;
import dev.olympus.core.config.EntityType;
import dev.olympus.core.config.FieldSpec;
import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.core.config.UrgentChanges;
import dev.olympus.core.sync.UuidV7;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Config entities of every type, their per-property change log ({@code config_versions}) and
 * version, on SQLite and PostgreSQL.
 *
 * <p>Every write runs in one transaction that first locks its enterprise's {@code config_locks}
 * row, then checks scope and references, writes the entity, and for every property the change
 * concerns bumps the version and writes a log row. A refused write throws before commit, so nothing
 * is half-written. Full syncs take the same lock, so a snapshot and its version agree.
 */
public final class ConfigStore {
  private static final Logger log = LoggerFactory.getLogger(ConfigStore.class);

  /** An entity as stored: {@code data} has secrets and {@code pin_hash}; never show it as is. */
  public record StoredEntity(
      String enterpriseId,
      String entityType,
      String id,
      String propertyId,
      Map<String, Object> data,
      long updatedAt) {}

  /** A property's config version, compaction horizon and pending full-sync request. */
  public record PropertyState(
      String propertyId,
      String enterpriseId,
      long version,
      long horizon,
      Long fullSyncRequestedAt,
      String fullSyncReason) {
    public boolean fullSyncPending() {
      return fullSyncRequestedAt != null;
    }
  }

  /**
   * A committed write.
   *
   * @param entity the entity after the write, or before it for a delete
   * @param versions property id → the version the change got there
   * @param urgentReason why hosts must hear of it at once ({@link UrgentChanges}), if they must
   * @param featuresChanged a property's feature flags changed: tier 6 types appear or vanish, which
   *     a delta cannot say, so a full sync of it was requested in the same transaction
   */
  public record Committed(
      ConfigOperation operation,
      StoredEntity entity,
      Map<String, Long> versions,
      Optional<String> urgentReason,
      boolean featuresChanged) {}

  /** What one compaction of a property did. */
  public record Compaction(String propertyId, long horizon, int rowsBefore, int rowsAfter) {}

  /** Why a change of feature flags requires a full sync: tier 6 arrays appear or vanish. */
  public static final String FEATURES_CHANGED = "features_changed";

  private final Jdbi jdbi;
  private final Clock clock;

  public ConfigStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  // ---- writes ----

  /**
   * Creates an entity. {@code data} passed the type's field checks and carries {@code pin_hash},
   * not a PIN.
   */
  public Committed create(EntityType type, String id, Map<String, Object> data, String by) {
    return jdbi.inTransaction(
        h -> {
          EntityChecks.Scope scope = EntityChecks.scopeOf(h, type, id, data);
          PropertyVersions.lockEnterprise(h, scope.enterpriseId());
          if (EntityRows.find(h, scope.enterpriseId(), type.table(), id).isPresent()) {
            throw ApiException.conflict(
                type.table()
                    + " '"
                    + Bodies.abbreviate(id)
                    + "' already exists: replace it with PUT or choose another id",
                "id");
          }
          EntityChecks.checkReferences(h, type, scope, data);
          StoredEntity stored = store(h, type, id, scope, data);
          return commit(h, ConfigOperation.INSERT, type, null, stored, by);
        });
  }

  /**
   * Replaces an entity. Secret and write-only fields left out keep their stored values: GET never
   * shows them, so a GET-edit-PUT round trip must not wipe them.
   *
   * @param enterpriseId the enterprise to look in, or null when the id alone is unambiguous
   */
  public Committed replace(
      EntityType type, String id, String enterpriseId, Map<String, Object> data, String by) {
    return jdbi.inTransaction(
        h -> {
          StoredEntity before =
              isSingleton(type)
                  ? EntityRows.singleton(h, type, id)
                  : EntityRows.existing(h, type, id, enterpriseId);
          // The scope may be left out of a replace: it cannot change anyway.
          Map<String, Object> scoped = new LinkedHashMap<>(data);
          if (!scoped.containsKey(ConfigRegistry.ENTERPRISE_ID)
              && !scoped.containsKey(ConfigRegistry.PROPERTY_ID)
              && !isSingleton(type)) {
            scoped.put(ConfigRegistry.ENTERPRISE_ID, before.enterpriseId());
            if (before.propertyId() != null) {
              scoped.put(ConfigRegistry.PROPERTY_ID, before.propertyId());
            }
          }
          EntityChecks.Scope scope = EntityChecks.scopeOf(h, type, id, scoped);
          if (!scope.enterpriseId().equals(before.enterpriseId())
              || !Objects.equals(scope.propertyId(), before.propertyId())) {
            String field =
                Objects.equals(scope.propertyId(), before.propertyId())
                    ? ConfigRegistry.ENTERPRISE_ID
                    : ConfigRegistry.PROPERTY_ID;
            throw ApiException.badRequest(
                "wrong_scope",
                type.table()
                    + " '"
                    + Bodies.abbreviate(id)
                    + "' belongs to "
                    + EntityChecks.describe(before.enterpriseId(), before.propertyId())
                    + ": an entity cannot move; delete it and create it there",
                field);
          }
          PropertyVersions.lockEnterprise(h, scope.enterpriseId());
          before =
              isSingleton(type)
                  ? EntityRows.singleton(h, type, id)
                  : EntityRows.existing(h, type, id, scope.enterpriseId());
          Map<String, Object> merged = new LinkedHashMap<>(scoped);
          for (FieldSpec f : type.fields()) {
            if ((f.secret() || f.writeOnly())
                && !merged.containsKey(f.storedName())
                && before.data().containsKey(f.storedName())) {
              merged.put(f.storedName(), before.data().get(f.storedName()));
            }
          }
          EntityChecks.checkReferences(h, type, scope, merged);
          StoredEntity after = store(h, type, id, scope, merged);
          return commit(h, ConfigOperation.UPDATE, type, before, after, by);
        });
  }

  /** Deletes an entity; 409 naming the referrers while others still point at it. */
  public Committed delete(EntityType type, String id, String enterpriseId, String by) {
    return jdbi.inTransaction(
        h -> {
          StoredEntity before = EntityRows.existing(h, type, id, enterpriseId);
          PropertyVersions.lockEnterprise(h, before.enterpriseId());
          before = EntityRows.existing(h, type, id, before.enterpriseId());
          List<String> referrers = EntityChecks.referrers(h, type, before);
          if (!referrers.isEmpty()) {
            throw ApiException.conflict(
                type.table()
                    + " '"
                    + Bodies.abbreviate(id)
                    + "' is still referenced by "
                    + String.join(", ", referrers)
                    + ": delete them or point them elsewhere first"
                    + ("employees".equals(type.table())
                        ? " (to terminate an employee who has shifts, set status to terminated)"
                        : ""),
                "id");
          }
          h.createUpdate(
                  "DELETE FROM config_entities WHERE enterprise_id = :e AND entity_type = :t"
                      + " AND id = :id")
              .bind("e", before.enterpriseId())
              .bind("t", type.table())
              .bind("id", id)
              .execute();
          return commit(h, ConfigOperation.DELETE, type, before, null, by);
        });
  }

  private Committed commit(
      Handle h,
      ConfigOperation op,
      EntityType type,
      StoredEntity before,
      StoredEntity after,
      String by) {
    StoredEntity subject = after != null ? after : before;
    Map<String, Object> wire = after == null ? null : type.wireData(after.data());
    Map<String, Long> versions = new LinkedHashMap<>();
    long now = clock.millis();
    for (String propertyId :
        PropertyVersions.propertiesOf(h, subject.enterpriseId(), subject.propertyId())) {
      PropertyVersions.ensureState(h, propertyId, subject.enterpriseId());
      long version = PropertyVersions.bump(h, propertyId);
      PropertyVersions.append(
          h,
          propertyId,
          new ConfigChange(
              UuidV7.next(),
              version,
              type.table(),
              subject.id(),
              op,
              wire,
              Instant.ofEpochMilli(now).toString(),
              by));
      versions.put(propertyId, version);
    }
    Optional<String> urgent =
        UrgentChanges.reason(
            type.table(),
            before == null ? null : before.data(),
            after == null ? null : after.data());
    boolean featuresChanged =
        type.table().equals("properties")
            && !Objects.equals(
                before == null ? null : before.data().get("features"),
                after == null ? null : after.data().get("features"));
    if (featuresChanged) {
      PropertyVersions.requestFullSync(h, subject.id(), FEATURES_CHANGED, now);
    }
    return new Committed(op, subject, versions, urgent, featuresChanged);
  }

  private StoredEntity store(
      Handle h, EntityType type, String id, EntityChecks.Scope scope, Map<String, Object> data) {
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("id", id);
    stored.put(ConfigRegistry.ENTERPRISE_ID, scope.enterpriseId());
    if (scope.propertyId() != null) {
      stored.put(ConfigRegistry.PROPERTY_ID, scope.propertyId());
    }
    data.forEach(stored::putIfAbsent);
    long now = clock.millis();
    int updated =
        h.createUpdate(
                "UPDATE config_entities SET data = :data, updated_at = :now WHERE enterprise_id ="
                    + " :e AND entity_type = :t AND id = :id")
            .bind("data", Json.write(stored))
            .bind("now", now)
            .bind("e", scope.enterpriseId())
            .bind("t", type.table())
            .bind("id", id)
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "INSERT INTO config_entities ("
                  + EntityRows.COLUMNS
                  + ") VALUES (:e, :t, :id, :p,"
                  + " :data, :now)")
          .bind("e", scope.enterpriseId())
          .bind("t", type.table())
          .bind("id", id)
          .bind("p", scope.propertyId())
          .bind("data", Json.write(stored))
          .bind("now", now)
          .execute();
    }
    return new StoredEntity(
        scope.enterpriseId(), type.table(), id, scope.propertyId(), stored, now);
  }

  // ---- reads ----

  /**
   * The entity of {@code type} with {@code id}.
   *
   * @param enterpriseId the enterprise to look in, or null for any (409 when ids collide)
   */
  public Optional<StoredEntity> find(EntityType type, String id, String enterpriseId) {
    return jdbi.withHandle(h -> EntityRows.findAnywhere(h, type, id, enterpriseId));
  }

  /**
   * A page of entities of {@code type} ordered by id, after {@code after}, optionally of one
   * property (with the enterprise-wide ones it sees) or one enterprise.
   */
  public List<StoredEntity> list(
      EntityType type, String propertyId, String enterpriseId, String after, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT " + EntityRows.COLUMNS + " FROM config_entities WHERE entity_type = :t");
    if (propertyId != null) {
      sql.append(
          " AND enterprise_id = (SELECT tenant_id FROM locations WHERE id = :p)"
              + " AND (property_id = :p OR property_id IS NULL)");
    }
    if (enterpriseId != null) {
      sql.append(" AND enterprise_id = :e");
    }
    if (after != null) {
      sql.append(" AND id > :after");
    }
    sql.append(" ORDER BY id, enterprise_id LIMIT :limit");
    return jdbi.withHandle(
        h -> {
          var q = h.createQuery(sql.toString()).bind("t", type.table()).bind("limit", limit);
          if (propertyId != null) {
            q.bind("p", propertyId);
          }
          if (enterpriseId != null) {
            q.bind("e", enterpriseId);
          }
          if (after != null) {
            q.bind("after", after);
          }
          return q.map((rs, ctx) -> EntityRows.entity(rs)).list();
        });
  }

  /**
   * The property's version state, created at {@link #PropertyVersions.BIRTH_VERSION} on first use.
   */
  public PropertyState state(String propertyId, String enterpriseId) {
    return jdbi.inTransaction(
        h -> {
          PropertyVersions.ensureState(h, propertyId, enterpriseId);
          return PropertyVersions.state(h, propertyId);
        });
  }

  /** Every property with a config state, for the compaction job. */
  public List<PropertyState> states() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + PropertyVersions.STATE_COLUMNS
                        + " FROM config_property_state ORDER BY property_id")
                .map((rs, ctx) -> PropertyVersions.state(rs))
                .list());
  }

  // ---- sync ----

  /**
   * The property's full snapshot, taken under the enterprise lock so it matches its version. A
   * pending full-sync request made before now is fulfilled by it.
   */
  public FullSyncPayload fullSync(String propertyId, String enterpriseId) {
    return jdbi.inTransaction(
        h -> {
          PropertyVersions.lockEnterprise(h, enterpriseId);
          PropertyVersions.ensureState(h, propertyId, enterpriseId);
          PropertyState state = PropertyVersions.state(h, propertyId);
          Map<String, Object> enterprise =
              EntityRows.effective(h, "enterprises", enterpriseId, enterpriseId, null);
          Map<String, Object> property =
              EntityRows.effective(h, "properties", enterpriseId, propertyId, propertyId);
          Map<String, List<Map<String, Object>>> entities = new LinkedHashMap<>();
          for (EntityType type : ConfigRegistry.synced()) {
            if (type.table().equals("enterprises")
                || type.table().equals("properties")
                || !type.enabledFor(property)) {
              continue;
            }
            entities.put(type.table(), new ArrayList<>());
          }
          h.createQuery(
                  "SELECT "
                      + EntityRows.COLUMNS
                      + " FROM config_entities WHERE enterprise_id = :e"
                      + " AND (property_id = :p OR property_id IS NULL) ORDER BY entity_type, id")
              .bind("e", enterpriseId)
              .bind("p", propertyId)
              .map((rs, ctx) -> EntityRows.entity(rs))
              .forEach(
                  e -> {
                    List<Map<String, Object>> rows = entities.get(e.entityType());
                    if (rows != null) {
                      rows.add(ConfigRegistry.require(e.entityType()).wireData(e.data()));
                    }
                  });
          long now = clock.millis();
          h.createUpdate(
                  "UPDATE config_property_state SET last_full_sync_at = :now,"
                      + " full_sync_requested_at = NULL, full_sync_reason = NULL"
                      + " WHERE property_id = :p AND full_sync_requested_at <= :now")
              .bind("now", now)
              .bind("p", propertyId)
              .execute();
          return new FullSyncPayload(
              state.version(),
              Instant.ofEpochMilli(now).toString(),
              propertyId,
              ConfigRegistry.require("enterprises").wireData(enterprise),
              ConfigRegistry.require("properties").wireData(property),
              entities);
        });
  }

  /**
   * The delta for a host at {@code since}: the latest op per entity changed after it, or the
   * full-sync-required answer ({@link DeltaPlan}). A host ahead of the cloud gets 409.
   */
  public DeltaSyncPayload delta(String propertyId, String enterpriseId, long since) {
    return jdbi.inTransaction(
        h -> {
          PropertyVersions.ensureState(h, propertyId, enterpriseId);
          PropertyState state = PropertyVersions.state(h, propertyId);
          String now = Instant.ofEpochMilli(clock.millis()).toString();
          DeltaPlan plan = DeltaPlan.decide(since, state.version(), state.horizon());
          if (plan.verdict() == DeltaPlan.Verdict.AHEAD_OF_CLOUD) {
            throw new ApiException(
                409,
                "version_conflict",
                "since "
                    + since
                    + " is ahead of property "
                    + propertyId
                    + "'s config version "
                    + state.version()
                    + ": the host's cache did not come from this cloud; do a full sync"
                    + " (GET /api/sync/config/full)",
                "since");
          }
          if (plan.verdict() == DeltaPlan.Verdict.FULL_SYNC_REQUIRED) {
            return DeltaSyncPayload.fullSyncRequired(
                since, state.version(), now, propertyId, plan.reason());
          }
          List<ConfigChange> rows = PropertyVersions.changes(h, propertyId, since, state.version());
          // Compaction may have committed between the state read and the rows read (on
          // PostgreSQL's read committed): if it moved past since, a delete may be gone.
          if (PropertyVersions.state(h, propertyId).horizon() > since) {
            return DeltaSyncPayload.fullSyncRequired(
                since, state.version(), now, propertyId, DeltaPlan.BELOW_HORIZON);
          }
          Map<String, Object> property =
              EntityRows.effective(h, "properties", enterpriseId, propertyId, propertyId);
          List<ConfigChange> changes =
              ConfigChanges.latestPerEntity(rows).stream()
                  .filter(
                      c ->
                          ConfigRegistry.find(c.entityType())
                              .map(t -> t.enabledFor(property))
                              .orElse(false))
                  .toList();
          return DeltaSyncPayload.delta(since, state.version(), now, propertyId, changes);
        });
  }

  /** Records an admin's request that the property's host full-syncs. */
  public PropertyState requestFullSync(String propertyId, String enterpriseId, String reason) {
    return jdbi.inTransaction(
        h -> {
          PropertyVersions.ensureState(h, propertyId, enterpriseId);
          PropertyVersions.requestFullSync(h, propertyId, reason, clock.millis());
          return PropertyVersions.state(h, propertyId);
        });
  }

  // ---- compaction ----

  /**
   * Rewrites the property's log at or below a new horizon into the latest op per entity (deletes
   * dropped, {@link ConfigChanges#compactUpTo}). The horizon keeps the latest {@code keepVersions}
   * versions and every change younger than {@code keepAge}.
   */
  public Optional<Compaction> compact(String propertyId, int keepVersions, Duration keepAge) {
    return jdbi.inTransaction(
        h -> {
          Optional<PropertyState> found = PropertyVersions.findState(h, propertyId);
          if (found.isEmpty()) {
            return Optional.<Compaction>empty();
          }
          PropertyVersions.lockEnterprise(h, found.get().enterpriseId());
          PropertyState state = PropertyVersions.state(h, propertyId);
          long cutoff = clock.millis() - keepAge.toMillis();
          long oldEnough =
              h.createQuery(
                      "SELECT COALESCE(MAX(version), 0) FROM config_versions"
                          + " WHERE property_id = :p AND changed_at < :cutoff")
                  .bind("p", propertyId)
                  .bind("cutoff", cutoff)
                  .mapTo(Long.class)
                  .one();
          long horizon = Math.min(state.version() - keepVersions, oldEnough);
          if (horizon <= state.horizon()) {
            return Optional.<Compaction>empty();
          }
          List<ConfigChange> old = PropertyVersions.changes(h, propertyId, Long.MIN_VALUE, horizon);
          List<ConfigChange> kept = ConfigChanges.compactUpTo(old, horizon);
          PropertyVersions.rewriteUpTo(h, propertyId, horizon, kept);
          log.info(
              "compacted the config log of property {} up to version {}: {} rows became {}",
              propertyId,
              horizon,
              old.size(),
              kept.size());
          return Optional.of(new Compaction(propertyId, horizon, old.size(), kept.size()));
        });
  }

  // ---- internals ----

  /** Enterprises and properties are created by the admin API; config only edits their settings. */
  static boolean isSingleton(EntityType type) {
    return EntityRows.isSingleton(type);
  }

  /** An enterprise or property as the config API shows it; 404 when the directory has none. */
  public StoredEntity singleton(EntityType type, String id) {
    return jdbi.withHandle(h -> EntityRows.singleton(h, type, id));
  }
}
