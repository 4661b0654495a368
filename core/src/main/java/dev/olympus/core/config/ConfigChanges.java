package dev.olympus.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure operations on a property's change log (its {@code config_versions} rows), the same on the
 * cloud, which serves deltas and compacts, and in tests of both tiers.
 */
public final class ConfigChanges {
  private static final Comparator<ConfigChange> BY_VERSION =
      Comparator.comparingLong(ConfigChange::version);

  private ConfigChanges() {}

  /**
   * The latest change of each entity, ordered by version. Because a change carries the whole
   * entity, applying these gives the same state as applying every change.
   */
  public static List<ConfigChange> latestPerEntity(Collection<ConfigChange> changes) {
    List<ConfigChange> ordered = new ArrayList<>(changes);
    ordered.sort(BY_VERSION);
    Map<ConfigChange.EntityKey, ConfigChange> latest = new LinkedHashMap<>();
    for (ConfigChange c : ordered) {
      latest.remove(c.key());
      latest.put(c.key(), c);
    }
    List<ConfigChange> out = new ArrayList<>(latest.values());
    out.sort(BY_VERSION);
    return List.copyOf(out);
  }

  /** The delta a host at {@code since} needs: the latest op per entity changed after it. */
  public static List<ConfigChange> deltaSince(Collection<ConfigChange> log, long since) {
    return latestPerEntity(log.stream().filter(c -> c.version() > since).toList());
  }

  /**
   * The log after compaction up to {@code horizon}: changes at or below it are rewritten into the
   * latest op per entity, and deletes there are dropped (the entity is gone for every host at or
   * past the horizon); later changes are kept as they are. A host below the horizon may have missed
   * a dropped delete, so it must full-sync ({@link DeltaPlan}).
   */
  public static List<ConfigChange> compactUpTo(Collection<ConfigChange> log, long horizon) {
    List<ConfigChange> old = log.stream().filter(c -> c.version() <= horizon).toList();
    List<ConfigChange> out = new ArrayList<>();
    for (ConfigChange c : latestPerEntity(old)) {
      if (c.operation() != ConfigOperation.DELETE) {
        out.add(c);
      }
    }
    log.stream().filter(c -> c.version() > horizon).forEach(out::add);
    out.sort(BY_VERSION);
    return List.copyOf(out);
  }
}
