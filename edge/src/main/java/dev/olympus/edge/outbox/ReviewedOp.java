package dev.olympus.edge.outbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.olympus.edge.store.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * An op the cloud rejected {@code retry_attempts} times and moved to its review queue, as the edge
 * keeps a copy of it ({@code dead_letters}) for its status panel and {@code GET
 * /api/v1/sync/review}. The cloud's review queue is the one to act on (requeue, discard: decision
 * 001); this copy only shows what left the outbox and why.
 *
 * @param attempts how many times the cloud rejected it
 * @param error the cloud's last rejection as stored: JSON text ({@code {"error", "message",
 *     "field"}}), or a plain word when the cloud gave no reason
 */
public record ReviewedOp(
    @JsonProperty("op_id") String opId,
    @JsonProperty("collection") String collection,
    @JsonProperty("record_id") String recordId,
    @JsonProperty("action") String action,
    @JsonProperty("attempts") int attempts,
    @JsonIgnore String error,
    @JsonIgnore Instant movedAt) {
  public ReviewedOp {
    Objects.requireNonNull(opId, "opId");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(movedAt, "movedAt");
  }

  /** The rejection as a JSON object when it is one (the cloud's ApiError), else as text. */
  @JsonProperty("error")
  Object errorJson() {
    if (error == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode node = Json.MAPPER.readTree(error);
      return node != null && node.isObject() ? node : error;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return error;
    }
  }

  @JsonProperty("moved_at")
  String movedAtText() {
    return movedAt.toString();
  }
}
