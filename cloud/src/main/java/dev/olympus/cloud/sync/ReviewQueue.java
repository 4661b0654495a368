package dev.olympus.cloud.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Ops the cloud rejected {@code retry_attempts} times: the dead letters an admin lists, requeues
 * (applies again now) or discards. They never block the ops behind them.
 */
public final class ReviewQueue {
  /** One op in review. */
  public record Item(
      @JsonProperty("op_id") String opId,
      @JsonProperty("location_id") String locationId,
      @JsonProperty("device_id") String deviceId,
      @JsonProperty("op") JsonNode op,
      @JsonProperty("attempts") int attempts,
      @JsonProperty("last_error") ApiError lastError,
      @JsonProperty("status") String status,
      @JsonProperty("first_at") long firstAt,
      @JsonProperty("last_at") long lastAt) {}

  private final Jdbi jdbi;
  private final SyncStore store;
  private final Clock clock;

  public ReviewQueue(Jdbi jdbi, SyncStore store, Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.clock = clock;
  }

  /** Items by status ({@code pending}, {@code requeued}, {@code discarded}), oldest first. */
  public List<Item> list(String tenantId, String status, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT op_id, location_id, device_id, op, attempts, last_error, status,"
                        + " first_at, last_at FROM op_rejections WHERE tenant_id = :t"
                        + " AND status = :s ORDER BY last_at, op_id LIMIT :limit")
                .bind("t", tenantId)
                .bind("s", status)
                .bind("limit", limit)
                .map((rs, ctx) -> item(rs))
                .list());
  }

  public Optional<Item> find(String tenantId, String opId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT op_id, location_id, device_id, op, attempts, last_error, status,"
                        + " first_at, last_at FROM op_rejections"
                        + " WHERE tenant_id = :t AND op_id = :op")
                .bind("t", tenantId)
                .bind("op", opId)
                .map((rs, ctx) -> item(rs))
                .findOne());
  }

  /**
   * Applies the stored op again, as its location's device would push it. Applied or merged: the
   * item leaves the queue. Rejected again: it stays, with the new error.
   */
  public OpResult requeue(Item item, String tenantId) {
    IncomingOp op = OpParser.parse(item.op(), 0);
    OpResult result =
        store
            .requeue(new SyncStore.Writer(tenantId, item.locationId(), item.deviceId(), true), op)
            .results()
            .get(0);
    if (result.outcome() == Outcome.DUPLICATE) {
      // Applied meanwhile under the same op id: nothing left to review.
      setStatus(tenantId, item.opId(), SyncStore.REQUEUED);
    }
    return result;
  }

  /** Gives up on the op for good; a retry of it is still answered as queued for review. */
  public void discard(String tenantId, String opId) {
    setStatus(tenantId, opId, SyncStore.DISCARDED);
  }

  private void setStatus(String tenantId, String opId, String status) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE op_rejections SET status = :s, last_at = :now"
                        + " WHERE tenant_id = :t AND op_id = :op")
                .bind("s", status)
                .bind("now", clock.millis())
                .bind("t", tenantId)
                .bind("op", opId)
                .execute());
  }

  private static Item item(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Item(
        rs.getString("op_id"),
        rs.getString("location_id"),
        rs.getString("device_id"),
        Json.readTree(rs.getString("op")),
        rs.getInt("attempts"),
        Json.MAPPER.convertValue(Json.readTree(rs.getString("last_error")), ApiError.class),
        rs.getString("status"),
        rs.getLong("first_at"),
        rs.getLong("last_at"));
  }
}
