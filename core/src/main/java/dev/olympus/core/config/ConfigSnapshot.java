package dev.olympus.core.config;

import dev.olympus.core.sync.JsonValues;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A property's config at one version: entity type → entity id → data. Immutable; {@link #apply}
 * returns a new snapshot. Both tiers use it: the cloud to reason about deltas, the edge to check
 * what it holds.
 */
public final class ConfigSnapshot {
  private static final ConfigSnapshot EMPTY = new ConfigSnapshot(0, Map.of());

  private final long version;
  private final Map<String, Map<String, Map<String, Object>>> entities;

  private ConfigSnapshot(long version, Map<String, Map<String, Map<String, Object>>> entities) {
    this.version = version;
    this.entities = entities;
  }

  /** Version 0, no entities: what a host has before its first full sync. */
  public static ConfigSnapshot empty() {
    return EMPTY;
  }

  /** A snapshot of {@code entities} (type → id → data) at {@code version}; copied. */
  public static ConfigSnapshot of(
      long version, Map<String, ? extends Map<String, ? extends Map<String, ?>>> entities) {
    Map<String, Map<String, Map<String, Object>>> copy = new TreeMap<>();
    entities.forEach(
        (type, byId) -> {
          if (!byId.isEmpty()) {
            Map<String, Map<String, Object>> rows = new TreeMap<>();
            byId.forEach((id, data) -> rows.put(id, JsonValues.immutableCopy(data)));
            copy.put(type, Collections.unmodifiableMap(rows));
          }
        });
    return new ConfigSnapshot(version, Collections.unmodifiableMap(copy));
  }

  public long version() {
    return version;
  }

  /** Type → id → data; types without entities are absent. */
  public Map<String, Map<String, Map<String, Object>>> entities() {
    return entities;
  }

  /** The entities of one type, id → data (empty when there are none). */
  public Map<String, Map<String, Object>> entities(String entityType) {
    return entities.getOrDefault(entityType, Map.of());
  }

  /**
   * This snapshot with {@code changes} applied in order, at {@code toVersion}: INSERT and UPDATE
   * put the change's data (the whole entity), DELETE removes the entity (a delete of an entity not
   * held is a no-op: it was inserted and deleted between two syncs).
   */
  public ConfigSnapshot apply(Collection<ConfigChange> changes, long toVersion) {
    Map<String, Map<String, Map<String, Object>>> next = new TreeMap<>();
    entities.forEach((type, byId) -> next.put(type, new TreeMap<>(byId)));
    for (ConfigChange c : changes) {
      Map<String, Map<String, Object>> byId =
          next.computeIfAbsent(c.entityType(), t -> new TreeMap<>());
      if (c.operation() == ConfigOperation.DELETE) {
        byId.remove(c.entityId());
      } else {
        byId.put(c.entityId(), c.data());
      }
    }
    Map<String, Map<String, Map<String, Object>>> frozen = new TreeMap<>();
    next.forEach(
        (type, byId) -> {
          if (!byId.isEmpty()) {
            frozen.put(type, Collections.unmodifiableMap(byId));
          }
        });
    return new ConfigSnapshot(toVersion, Collections.unmodifiableMap(frozen));
  }

  /**
   * This snapshot after {@code delta}, at its {@code toVersion}.
   *
   * @throws IllegalArgumentException when the delta is a full-sync-required answer or starts at
   *     another version than this snapshot's: applying it would not give the cloud's state
   */
  public ConfigSnapshot apply(DeltaSyncPayload delta) {
    if (delta.fullSyncRequired()) {
      throw new IllegalArgumentException(
          "the cloud answered fullSyncRequired (" + delta.reason() + "): fetch a full snapshot");
    }
    if (delta.fromVersion() != version) {
      throw new IllegalArgumentException(
          "the delta starts at version "
              + delta.fromVersion()
              + " but this snapshot is at "
              + version
              + ": ask for since="
              + version);
    }
    return apply(delta.changes(), delta.toVersion());
  }

  /** The number of entities of all types. */
  public int size() {
    return entities.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigSnapshot s && s.version == version && s.entities.equals(entities);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + entities.hashCode();
  }

  @Override
  public String toString() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    entities.forEach((t, byId) -> counts.put(t, byId.size()));
    return "ConfigSnapshot{version=" + version + ", entities=" + counts + "}";
  }
}
