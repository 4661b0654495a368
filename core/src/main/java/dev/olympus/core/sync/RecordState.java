package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;

/**
 * A record as one replica holds it.
 *
 * @param collection its collection
 * @param id its client-chosen id
 * @param data the JSON object; empty for a deleted record
 * @param version the hybrid logical clock of its last change
 * @param origin the node whose write set {@code version}; breaks ties between equal versions
 * @param fieldVersions per field, the clock of the write that last set it (kept for the merge and
 *     custom strategies, empty otherwise); {@link #DELETED_FIELD} holds the delete flag's
 * @param deleted true for a tombstone
 */
public record RecordState(
    @JsonProperty("collection") String collection,
    @JsonProperty("id") String id,
    @JsonProperty("data") Map<String, Object> data,
    @JsonProperty("version") long version,
    @JsonProperty("origin") String origin,
    @JsonProperty("field_versions") Map<String, Long> fieldVersions,
    @JsonProperty("deleted") boolean deleted) {

  /** The key under which {@link #fieldVersions()} keeps the version of the delete flag. */
  public static final String DELETED_FIELD = "_deleted";

  public RecordState {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(origin, "origin");
    data = data == null ? Map.of() : JsonValues.immutableCopy(data);
    fieldVersions =
        fieldVersions == null
            ? Map.of()
            : fieldVersions instanceof UniformFieldVersions
                ? fieldVersions
                : Map.copyOf(fieldVersions);
  }

  /** Whether this state and {@code other} hold the same content (data and delete flag). */
  @JsonIgnore
  public boolean sameContentAs(RecordState other) {
    return deleted == other.deleted && data.equals(other.data);
  }
}
