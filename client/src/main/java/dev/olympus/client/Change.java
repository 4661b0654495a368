package dev.olympus.client;

import dev.olympus.core.sync.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * A change another device committed, as delivered to listeners: once, in the order of its stream.
 *
 * @param type the wire type, e.g. {@code order_update}
 * @param action what happened, e.g. {@code status_changed} (seed 002's actions)
 * @param seq the change's sequence number in {@code stream}
 * @param stream the sequence space it came from ({@code edge:<id>} or {@code cloud:<tenant>})
 * @param collection the record's collection, e.g. {@code orders}
 * @param id the record's id
 * @param data the record's data after the change (empty for a deletion), deeply immutable
 * @param version the record's version (a hybrid logical clock value)
 * @param deleted whether the record is now a tombstone
 * @param origin the node that wrote it ("" when the server did not say)
 */
public record Change(
    String type,
    String action,
    long seq,
    String stream,
    String collection,
    String id,
    Map<String, Object> data,
    long version,
    boolean deleted,
    String origin) {

  /** Validates and copies {@code data} so that a change stays a value. */
  public Change {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(origin, "origin");
    data = JsonValues.immutableCopy(data == null ? Map.of() : data);
  }

  /** The data type, which decides which typed listener gets this change. */
  public DataType dataType() {
    return DataType.of(type, collection);
  }
}
