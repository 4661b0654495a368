package dev.olympus.client;

import dev.olympus.core.sync.JsonValues;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A local write on its way to the server, as kept in the {@link OfflineQueue}. Its op id is sent as
 * the {@code Idempotency-Key}, so however often it is retried the server applies it once.
 *
 * @param opId the op id (UUIDv7), unique per write
 * @param method PUT, PATCH or DELETE
 * @param collection the collection, matching {@code [a-z][a-z0-9_]{0,62}}
 * @param id the record id, 1–128 characters of {@code [A-Za-z0-9._:-]}
 * @param data the body (empty for DELETE), deeply immutable
 * @param createdAtMillis when the write was made, epoch milliseconds from the client's clock
 */
public record PendingWrite(
    String opId,
    WriteMethod method,
    String collection,
    String id,
    Map<String, Object> data,
    long createdAtMillis) {
  private static final Pattern COLLECTION = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** Validates the names the records API would refuse, so the caller learns it at once. */
  public PendingWrite {
    Objects.requireNonNull(opId, "opId");
    Objects.requireNonNull(method, "method");
    if (collection == null || !COLLECTION.matcher(collection).matches()) {
      throw new IllegalArgumentException(
          "collection was '"
              + collection
              + "': use lower-case letters, digits and '_', starting with a letter (e.g. orders)");
    }
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "id was '"
              + id
              + "': use 1-128 characters of A-Z a-z 0-9 . _ : - (a UUIDv7 from UuidV7.next() is best)");
    }
    data = JsonValues.immutableCopy(data == null ? Map.of() : data);
  }
}
