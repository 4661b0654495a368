package dev.olympus.edge.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.sync.SyncConfig;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The syncer's persistent state as key/value rows, so that the feed position, offline time, failure
 * count and the cached {@code sync_config} survive a restart and are readable by {@code edge
 * status} while the edge is stopped.
 */
public final class SyncState {
  public static final String LAST_PULLED_SEQ = "last_pulled_seq";
  public static final String LAST_SYNC_AT = "last_sync_at";
  public static final String ONLINE_SINCE = "online_since";
  public static final String OFFLINE_SINCE = "offline_since";
  public static final String CONSECUTIVE_FAILURES = "consecutive_failures";
  public static final String SYNC_CONFIG = "sync_config";
  public static final String NODE_ID = "node_id";
  public static final String LAST_ERROR = "last_error";
  public static final String LAST_CYCLE_MS = "last_cycle_ms";
  public static final String PUSH_RATE = "push_ops_per_second";

  private final Jdbi jdbi;

  public SyncState(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<String> get(String key) {
    return jdbi.withHandle(h -> get(h, key));
  }

  public void put(String key, String value) {
    jdbi.useHandle(h -> put(h, key, value));
  }

  /** All keys at once, for a consistent status snapshot. */
  public Map<String, String> all() {
    return jdbi.withHandle(
        h -> {
          Map<String, String> m = new HashMap<>();
          h.createQuery("SELECT key, value FROM syncer_state")
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
              .forEach(e -> m.put(e.getKey(), e.getValue()));
          return m;
        });
  }

  public static Optional<String> get(Handle h, String key) {
    return h.createQuery("SELECT value FROM syncer_state WHERE key = ?")
        .bind(0, key)
        .mapTo(String.class)
        .findOne();
  }

  public static void put(Handle h, String key, String value) {
    if (value == null) {
      h.execute("DELETE FROM syncer_state WHERE key = ?", key);
      return;
    }
    h.execute(
        "INSERT INTO syncer_state (key, value) VALUES (?, ?)"
            + " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        key,
        value);
  }

  public long lastPulledSeq() {
    return get(LAST_PULLED_SEQ).map(Long::parseLong).orElse(0L);
  }

  /** The cached {@code sync_config}, or the defaults before the first contact with the cloud. */
  public SyncConfig syncConfig() {
    return get(SYNC_CONFIG).flatMap(SyncState::parseConfig).orElseGet(SyncConfig::defaults);
  }

  /** Parses a cached {@code sync_config}; empty when it is unreadable (a newer format, say). */
  public static Optional<SyncConfig> parseConfig(String json) {
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      return Optional.of(Json.MAPPER.treeToValue(node, SyncConfig.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static Optional<Instant> instant(Map<String, String> state, String key) {
    return Optional.ofNullable(state.get(key)).map(v -> Instant.ofEpochMilli(Long.parseLong(v)));
  }

  public static long number(Map<String, String> state, String key) {
    String v = state.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }
}
