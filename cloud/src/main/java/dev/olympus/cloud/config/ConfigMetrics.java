package dev.olympus.cloud.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The config sync service's meters, served on {@code /metrics}. */
public final class ConfigMetrics {
  private final MeterRegistry registry;
  private final Counter fullSyncs;
  private final Counter deltas;
  private final Counter fullSyncRequired;
  private final Counter heartbeats;
  private final Counter urgentPushes;
  private final Counter compactedRows;

  public ConfigMetrics(MeterRegistry registry) {
    this.registry = registry;
    fullSyncs =
        Counter.builder("olympus.config.full.syncs")
            .description("Full config snapshots served")
            .register(registry);
    deltas =
        Counter.builder("olympus.config.delta.syncs")
            .description("Config deltas served")
            .tag("result", "delta")
            .register(registry);
    fullSyncRequired =
        Counter.builder("olympus.config.delta.syncs")
            .description("Config deltas served")
            .tag("result", "full_sync_required")
            .register(registry);
    heartbeats =
        Counter.builder("olympus.config.heartbeats")
            .description("Service host heartbeats received")
            .register(registry);
    urgentPushes =
        Counter.builder("olympus.config.urgent.pushes")
            .description("config:urgent messages sent")
            .register(registry);
    compactedRows =
        Counter.builder("olympus.config.compacted.rows")
            .description("config_versions rows removed by compaction")
            .register(registry);
  }

  void change(String entityType) {
    Counter.builder("olympus.config.changes")
        .description("Config entity changes committed, by type")
        .tag("entity_type", entityType)
        .register(registry)
        .increment();
  }

  void fullSync() {
    fullSyncs.increment();
  }

  void delta(boolean fullSyncWasRequired) {
    (fullSyncWasRequired ? fullSyncRequired : deltas).increment();
  }

  void heartbeat() {
    heartbeats.increment();
  }

  void urgentPush() {
    urgentPushes.increment();
  }

  void compacted(long rowsRemoved) {
    compactedRows.increment(rowsRemoved);
  }
}
