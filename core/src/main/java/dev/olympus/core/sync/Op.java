package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;

/**
 * One local write on its way to the cloud.
 *
 * @param opId unique id of this op (UUIDv7): a retried op is applied once and answered with its
 *     first result
 * @param collection the collection, e.g. {@code orders}
 * @param recordId the record's client-chosen id
 * @param action put (the whole record), patch (changed fields only) or delete
 * @param data the record for put, the changed fields for patch, empty for delete
 * @param baseVersion the record version this write was based on; 0 for a record not seen before. A
 *     different current version on the server means a concurrent edit.
 * @param hlc the writer's hybrid logical clock at the write
 * @param nodeId the writer's node id, which breaks ties between equal clocks
 * @param baseOrigin the origin (writing node) of the base version, or null when unknown. Versions
 *     of different nodes can be equal, so the base is the pair; a record whose version equals
 *     {@code baseVersion} but was written by another node is a concurrent edit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Op(
    @JsonProperty("op_id") String opId,
    @JsonProperty("collection") String collection,
    @JsonProperty("id") String recordId,
    @JsonProperty("action") OpAction action,
    @JsonProperty("data") Map<String, Object> data,
    @JsonProperty("base_version") long baseVersion,
    @JsonProperty("hlc") long hlc,
    @JsonProperty("node_id") String nodeId,
    @JsonProperty("base_origin") String baseOrigin) {

  public Op {
    Objects.requireNonNull(opId, "op_id");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(recordId, "id");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(nodeId, "node_id");
    data = data == null ? Map.of() : JsonValues.immutableCopy(data);
  }

  /** An op whose base version's origin is unknown (checked by version alone). */
  public Op(
      String opId,
      String collection,
      String recordId,
      OpAction action,
      Map<String, Object> data,
      long baseVersion,
      long hlc,
      String nodeId) {
    this(opId, collection, recordId, action, data, baseVersion, hlc, nodeId, null);
  }

  /** Whether this op was based on exactly {@code current}: no one else changed it since. */
  public boolean isBasedOn(RecordState current) {
    return current.version() == baseVersion
        && (baseOrigin == null || baseOrigin.equals(current.origin()));
  }
}
