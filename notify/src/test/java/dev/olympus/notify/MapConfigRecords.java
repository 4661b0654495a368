package dev.olympus.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Synced configuration held in memory, for the tests of routing and recipients. */
final class MapConfigRecords implements ConfigRecords {
  private final Map<String, List<ConfigRecord>> byType = new LinkedHashMap<>();

  MapConfigRecords put(String type, String id, Map<String, Object> data) {
    byType.computeIfAbsent(type, t -> new ArrayList<>()).add(new ConfigRecord(id, data));
    return this;
  }

  @Override
  public List<ConfigRecord> list(String tenantId, String locationId, String entityType) {
    return List.copyOf(byType.getOrDefault(entityType, List.of()));
  }
}
