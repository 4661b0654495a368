package dev.olympus.edge.syncer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.olympus.core.sync.Priority;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.outbox.QueueSnapshot;
import dev.olympus.edge.store.SyncState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The sync-queue panel's data (seed 000's SYNC QUEUE): queued ops per collection with priority,
 * queue age, online/offline since, last successful sync and estimated drain time. Read straight
 * from the local database, so it works while the edge is stopped or offline.
 */
public record QueueStatus(
    @JsonProperty("location_id") String locationId,
    @JsonProperty("status") String status,
    @JsonProperty("pending_count") long pendingCount,
    @JsonProperty("queued") List<Queued> queued,
    @JsonProperty("oldest_pending_age_ms") Long oldestPendingAgeMs,
    @JsonProperty("newest_pending_age_ms") Long newestPendingAgeMs,
    @JsonIgnore Instant onlineSince,
    @JsonIgnore Instant offlineSince,
    @JsonIgnore Instant lastSync,
    @JsonProperty("consecutive_failures") long consecutiveFailures,
    @JsonProperty("last_error") String lastError,
    @JsonProperty("estimated_drain_ms") long estimatedDrainMs,
    @JsonProperty("dead_letters") long deadLetters,
    @JsonProperty("last_pulled_seq") long lastPulledSeq) {

  /** Ops/s assumed before the edge has measured a drain of its own. */
  static final double DEFAULT_PUSH_RATE = 2_000;

  public QueueStatus {
    queued = List.copyOf(queued);
  }

  /** Queued ops of one collection. */
  public record Queued(
      @JsonProperty("collection") String collection,
      @JsonProperty("count") long count,
      @JsonProperty("priority") String priority) {}

  @JsonProperty("online_since")
  String onlineSinceText() {
    return onlineSince == null ? null : onlineSince.toString();
  }

  @JsonProperty("offline_since")
  String offlineSinceText() {
    return offlineSince == null ? null : offlineSince.toString();
  }

  @JsonProperty("last_sync")
  String lastSyncText() {
    return lastSync == null ? null : lastSync.toString();
  }

  /** Whether the last contact with the cloud failed to reach it. */
  @JsonIgnore
  public boolean offline() {
    return "offline".equals(status);
  }

  /** Reads the status from the local database at {@code now}. */
  public static QueueStatus read(Jdbi jdbi, String locationId, Instant now) {
    record Raw(QueueSnapshot snapshot, Map<String, String> state) {}
    Raw raw =
        jdbi.inTransaction(
            h -> {
              Map<String, String> state = new LinkedHashMap<>();
              h.createQuery("SELECT key, value FROM syncer_state")
                  .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                  .forEach(e -> state.put(e.getKey(), e.getValue()));
              return new Raw(Outbox.snapshot(h), state);
            });
    return from(raw.snapshot(), raw.state(), locationId, now);
  }

  static QueueStatus from(
      QueueSnapshot snapshot, Map<String, String> state, String locationId, Instant now) {
    SyncConfig config =
        state.containsKey(SyncState.SYNC_CONFIG)
            ? SyncState.parseConfig(state.get(SyncState.SYNC_CONFIG))
                .orElseGet(SyncConfig::defaults)
            : SyncConfig.defaults();
    // Collections with queued ops, and the configured ones at zero (as seed 000's panel shows
    // "Menu Updates: 0"), soonest priority first.
    List<Queued> queued = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (QueueSnapshot.CollectionCount c : snapshot.collections()) {
      queued.add(
          new Queued(c.collection(), c.count(), Priority.values()[c.priorityRank()].wireName()));
      seen.add(c.collection());
    }
    for (var e : config.tables().entrySet()) {
      if (!seen.contains(e.getKey())) {
        queued.add(new Queued(e.getKey(), 0, e.getValue().priority().wireName()));
      }
    }
    queued.sort(
        java.util.Comparator.comparing((Queued q) -> Priority.parse(q.priority()).rank())
            .thenComparing(Queued::count, java.util.Comparator.reverseOrder())
            .thenComparing(Queued::collection));
    long pending = snapshot.total();
    long failures = SyncState.number(state, SyncState.CONSECUTIVE_FAILURES);
    Instant onlineSince = SyncState.instant(state, SyncState.ONLINE_SINCE).orElse(null);
    Instant offlineSince = SyncState.instant(state, SyncState.OFFLINE_SINCE).orElse(null);
    Instant lastSync = SyncState.instant(state, SyncState.LAST_SYNC_AT).orElse(null);
    String status;
    if (offlineSince != null) {
      status = "offline";
    } else if (failures >= config.retryAttempts()) {
      status = "error";
    } else if (pending > 0 || lastSync == null) {
      status = "syncing";
    } else {
      status = "synced";
    }
    double rate =
        state.containsKey(SyncState.PUSH_RATE)
            ? Math.max(1, Double.parseDouble(state.get(SyncState.PUSH_RATE)))
            : DEFAULT_PUSH_RATE;
    // One round trip per batch on top of the measured throughput.
    long batches = (pending + config.batchSize() - 1) / config.batchSize();
    long drain = pending == 0 ? 0 : (long) Math.ceil(pending * 1000 / rate) + batches * 20;
    return new QueueStatus(
        locationId,
        status,
        pending,
        queued,
        snapshot.oldestCreatedAt().map(t -> Math.max(0, now.toEpochMilli() - t)).orElse(null),
        snapshot.newestCreatedAt().map(t -> Math.max(0, now.toEpochMilli() - t)).orElse(null),
        onlineSince,
        offlineSince,
        lastSync,
        failures,
        state.get(SyncState.LAST_ERROR),
        drain,
        snapshot.deadLetters(),
        SyncState.number(state, SyncState.LAST_PULLED_SEQ));
  }
}
