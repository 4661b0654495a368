package dev.olympus.edge.outbox;

import dev.olympus.core.sync.OpAction;
import java.util.Objects;

/**
 * One queued local write.
 *
 * @param seq local order of the write; the outbox pushes by {@code (priority, seq)}
 * @param dataJson the op's data as stored, sent as is so a push never re-encodes it
 * @param baseOrigin the node that wrote the base version (null for a new record)
 * @param priority the rank of the collection's priority when the write was made (0 = critical)
 * @param createdAt epoch milliseconds of the write
 */
public record OutboxEntry(
    long seq,
    String opId,
    String collection,
    String recordId,
    OpAction action,
    String dataJson,
    long baseVersion,
    String baseOrigin,
    long hlc,
    int priority,
    long createdAt,
    int attempts) {
  public OutboxEntry {
    Objects.requireNonNull(opId, "opId");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(dataJson, "dataJson");
  }
}
