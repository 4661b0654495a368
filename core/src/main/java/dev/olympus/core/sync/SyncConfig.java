package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tenant's sync configuration, in the shape of {@code sync_config}: how often edges sync, how
 * many ops a push carries, how often an invalid op is retried before it goes to review, and each
 * collection's priority and strategy. A collection not listed gets {@code normal} priority and the
 * default {@code conflict_strategy}.
 */
public record SyncConfig(
    @JsonProperty("interval_seconds") int intervalSeconds,
    @JsonProperty("batch_size") int batchSize,
    @JsonProperty("retry_attempts") int retryAttempts,
    @JsonProperty("conflict_strategy") Strategy conflictStrategy,
    @JsonProperty("tables") Map<String, CollectionPolicy> tables) {

  /** Collection names: lower-case letters, digits and underscores, starting with a letter. */
  public static final Pattern COLLECTION_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  public static final int MAX_BATCH_SIZE = 10_000;

  @JsonCreator
  public SyncConfig {
    if (intervalSeconds < 1 || intervalSeconds > 86_400) {
      throw new IllegalArgumentException(
          "interval_seconds must be between 1 and 86400, was " + intervalSeconds);
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "batch_size must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
    }
    if (retryAttempts < 1 || retryAttempts > 100) {
      throw new IllegalArgumentException(
          "retry_attempts must be between 1 and 100, was " + retryAttempts);
    }
    if (conflictStrategy == null) {
      throw new IllegalArgumentException("conflict_strategy is missing");
    }
    if (conflictStrategy.kind() == Strategy.Kind.APPEND_ONLY) {
      throw new IllegalArgumentException(
          "conflict_strategy (the default) cannot be append_only: set it per table instead");
    }
    if (tables == null) {
      tables = Map.of();
    }
    // Checked before the copy: Map.copyOf would throw a bare NullPointerException on a null policy
    // (JSON {"tables":{"orders":null}}), which is bad input, not a bug.
    for (Map.Entry<String, CollectionPolicy> e : tables.entrySet()) {
      if (e.getKey() == null || !COLLECTION_NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException(
            "tables: '"
                + e.getKey()
                + "' is not a collection name (lower-case letters, digits, underscores)");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(
            "tables." + e.getKey() + " is null: give it a priority and a strategy");
      }
    }
    tables = Map.copyOf(tables);
  }

  /** The defaults every new tenant starts with. */
  public static SyncConfig defaults() {
    Map<String, CollectionPolicy> t = new LinkedHashMap<>();
    t.put("payments", new CollectionPolicy(Priority.CRITICAL, Strategy.APPEND_ONLY));
    // The processor's answer to an offline card payment: the cloud's money view waits for it.
    t.put("payment_settlements", new CollectionPolicy(Priority.CRITICAL, Strategy.LAST_WRITE_WINS));
    t.put("orders", new CollectionPolicy(Priority.HIGH, Strategy.custom("orders")));
    t.put("time_punches", new CollectionPolicy(Priority.HIGH, Strategy.MERGE));
    t.put("inventory_movements", new CollectionPolicy(Priority.NORMAL, Strategy.APPEND_ONLY));
    // Stock counts are taken in the back office: the cloud's count is the truth.
    t.put("inventory_counts", new CollectionPolicy(Priority.NORMAL, Strategy.SERVER_WINS));
    t.put("inventory_alerts", new CollectionPolicy(Priority.NORMAL, Strategy.LAST_WRITE_WINS));
    t.put("tables", new CollectionPolicy(Priority.NORMAL, Strategy.LAST_WRITE_WINS));
    t.put("menu_items", new CollectionPolicy(Priority.LOW, Strategy.SERVER_WINS));
    // What a KDS showed: useful history for the cloud, needed by nothing there in a hurry.
    t.put("kitchen_tickets", new CollectionPolicy(Priority.LOW, Strategy.LAST_WRITE_WINS));
    return new SyncConfig(30, 100, 3, Strategy.LAST_WRITE_WINS, t);
  }

  /** The policy of a collection, listed or not. */
  public CollectionPolicy policyFor(String collection) {
    CollectionPolicy p = tables.get(collection);
    return p != null ? p : new CollectionPolicy(Priority.NORMAL, conflictStrategy);
  }

  /** This configuration with another batch size. */
  public SyncConfig withBatchSize(int size) {
    return new SyncConfig(intervalSeconds, size, retryAttempts, conflictStrategy, tables);
  }

  /** This configuration with another interval. */
  public SyncConfig withIntervalSeconds(int seconds) {
    return new SyncConfig(seconds, batchSize, retryAttempts, conflictStrategy, tables);
  }
}
