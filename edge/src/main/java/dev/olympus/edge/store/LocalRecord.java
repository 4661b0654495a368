package dev.olympus.edge.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.olympus.core.sync.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * A record as the edge holds it and serves it to terminals: the wire shape of the records API, plus
 * the node that wrote its version and the last version the cloud confirmed.
 */
public record LocalRecord(
    @JsonProperty("collection") String collection,
    @JsonProperty("id") String id,
    @JsonProperty("data") Map<String, Object> data,
    @JsonProperty("version") long version,
    @JsonIgnore String origin,
    @JsonIgnore long serverVersion,
    @JsonProperty("deleted") boolean deleted) {
  public LocalRecord {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(origin, "origin");
    data = data == null ? Map.of() : JsonValues.immutableCopy(data);
  }
}
