package dev.olympus.cloud.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.http.Json;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The conflict audit log: every resolution that was not a plain apply, newest first. */
public final class ConflictLog {
  /** One audited resolution with the local (op), server and resolved versions. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      @JsonProperty("id") long id,
      @JsonProperty("location_id") String locationId,
      @JsonProperty("collection") String collection,
      @JsonProperty("record_id") String recordId,
      @JsonProperty("op_id") String opId,
      @JsonProperty("strategy") String strategy,
      @JsonProperty("outcome") String outcome,
      @JsonProperty("local") JsonNode local,
      @JsonProperty("server") JsonNode server,
      @JsonProperty("resolved") JsonNode resolved,
      @JsonProperty("skewed") boolean skewed,
      @JsonProperty("created_at") long createdAt) {}

  private final Jdbi jdbi;

  public ConflictLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Entries with an id below {@code beforeId} (0: the newest), optionally of one location. */
  public List<Entry> list(String tenantId, String locationId, long beforeId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, location_id, collection, record_id, op_id, strategy, outcome,"
                        + " local, server, resolved, skewed, created_at FROM conflicts"
                        + " WHERE tenant_id = :t AND (:loc IS NULL OR location_id = :loc)"
                        + " AND (:before = 0 OR id < :before) ORDER BY id DESC LIMIT :limit")
                .bind("t", tenantId)
                .bind("loc", locationId)
                .bind("before", beforeId)
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new Entry(
                            rs.getLong("id"),
                            rs.getString("location_id"),
                            rs.getString("collection"),
                            rs.getString("record_id"),
                            rs.getString("op_id"),
                            rs.getString("strategy"),
                            rs.getString("outcome"),
                            tree(rs.getString("local")),
                            tree(rs.getString("server")),
                            tree(rs.getString("resolved")),
                            rs.getInt("skewed") != 0,
                            rs.getLong("created_at")))
                .list());
  }

  private static JsonNode tree(String json) {
    return json == null ? null : Json.readTree(json);
  }
}
