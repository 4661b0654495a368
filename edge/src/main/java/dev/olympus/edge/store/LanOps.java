package dev.olympus.edge.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.olympus.core.sync.ApiError;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * The outcomes of writes terminals sent with an {@code Idempotency-Key}, so that a retried write is
 * answered with its first outcome and never applied twice, also after its outbox op (whose op id is
 * the key) was pushed and deleted. Rows older than the retention's age, or beyond its row count,
 * are pruned, except those whose op is still queued for the cloud.
 */
public final class LanOps {
  /** How long, and how many, outcomes are kept. */
  public record Retention(Duration maxAge, int maxRows) {
    /** 7 days, 100,000 rows: far longer than a terminal's offline queue retries a write. */
    public static final Retention DEFAULT = new Retention(Duration.ofDays(7), 100_000);

    public Retention {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("retention age must be positive, was " + maxAge);
      }
      if (maxRows < 1) {
        throw new IllegalArgumentException("retention must keep at least 1 row, was " + maxRows);
      }
    }
  }

  /**
   * A remembered outcome: the HTTP status first answered, and the refusal when the write was
   * refused.
   */
  public record Outcome(String collection, String recordId, int status, Optional<ApiError> error) {
    public Outcome {
      Objects.requireNonNull(collection, "collection");
      Objects.requireNonNull(recordId, "recordId");
      Objects.requireNonNull(error, "error");
    }

    /**
     * The error for a write that reuses {@code key}, whose first write went to this outcome's
     * record; {@code advice} follows the record's name and says what to send instead.
     */
    public ApiError reusedBy(String key, String advice) {
      return new ApiError(
          KEY_REUSED,
          "Idempotency-Key '"
              + key
              + "' was already used for a write to "
              + collection
              + "/"
              + recordId
              + advice,
          "Idempotency-Key");
    }
  }

  /** The code of the 409 for an Idempotency-Key already used for another write. */
  public static final String KEY_REUSED = "idempotency_key_reused";

  private final Retention retention;
  private final Clock clock;

  /**
   * The keys whose remembered outcome is a refusal. Refusals are few, and a keyed write looks for
   * one before it is decided: knowing the keys saves almost every write a read of the store, which
   * on the encrypted store, just after another connection's commit, costs about as much as the
   * write's own statements. Filled from the store by {@link #loadRefusals}; a key pruned from the
   * store since stays here, and its look-up then finds nothing.
   */
  private final Set<String> refusedKeys = ConcurrentHashMap.newKeySet();

  public LanOps(Retention retention, Clock clock) {
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The first outcome of the write with this key, if it is remembered. */
  public Optional<Outcome> find(Handle h, String key) {
    return h.createQuery("SELECT collection, record_id, status, error FROM lan_ops WHERE op_id = ?")
        .bind(0, key)
        .map(
            (rs, ctx) ->
                new Outcome(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getInt(3),
                    Optional.ofNullable(rs.getString(4)).map(LanOps::readError)))
        .findOne();
  }

  /** Learns the keys of the refusals already remembered in the store (once, as the edge starts). */
  public void loadRefusals(Handle h) {
    h.createQuery("SELECT op_id FROM lan_ops WHERE error IS NOT NULL")
        .mapTo(String.class)
        .forEach(refusedKeys::add);
  }

  /** False when no refusal was ever remembered for this key: no need to look one up. */
  public boolean mayHaveRefused(String key) {
    return refusedKeys.contains(key);
  }

  /** Remembers an outcome; a key already remembered keeps its first outcome. */
  public void remember(
      Handle h, String key, String collection, String recordId, int status, ApiError error) {
    if (error != null) {
      // Before the insert commits: a retry may look it up as soon as it has.
      refusedKeys.add(key);
    }
    h.createUpdate(
            "INSERT INTO lan_ops (op_id, collection, record_id, status, error, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (op_id) DO NOTHING")
        .bind(0, key)
        .bind(1, collection)
        .bind(2, recordId)
        .bind(3, status)
        .bind(4, error == null ? null : Json.write(error))
        .bind(5, clock.millis())
        .execute();
  }

  /**
   * Forgets outcomes past the retention, oldest first, keeping those whose op is still in the
   * outbox (a key must be answered for as long as its write can still reach the cloud).
   *
   * @return how many were forgotten
   */
  public int prune(Handle h) {
    long cutoff = clock.millis() - retention.maxAge().toMillis();
    int n =
        h.createUpdate(
                "DELETE FROM lan_ops WHERE created_at < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.op_id = lan_ops.op_id)")
            .bind(0, cutoff)
            .execute();
    n +=
        h.createUpdate(
                "DELETE FROM lan_ops WHERE op_id IN (SELECT op_id FROM lan_ops"
                    + " ORDER BY created_at DESC, op_id DESC LIMIT -1 OFFSET ?)"
                    + " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.op_id = lan_ops.op_id)")
            .bind(0, retention.maxRows())
            .execute();
    return n;
  }

  /** How many outcomes are remembered. */
  public static long count(Handle h) {
    return h.createQuery("SELECT count(*) FROM lan_ops").mapTo(Long.class).one();
  }

  private static ApiError readError(String json) {
    try {
      return Json.MAPPER.readValue(json, ApiError.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored refusal is corrupt: " + e.getOriginalMessage(), e);
    }
  }
}
