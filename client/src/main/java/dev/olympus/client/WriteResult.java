package dev.olympus.client;

import dev.olympus.core.sync.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * The server's answer to a write that it applied (or had already applied under the same op id).
 *
 * @param write the write
 * @param httpStatus 200 or 201
 * @param record the record as the server answered it ({@code collection, id, data, version,
 *     deleted}); empty when the body was not JSON
 */
public record WriteResult(PendingWrite write, int httpStatus, Map<String, Object> record) {
  /** Copies {@code record}. */
  public WriteResult {
    Objects.requireNonNull(write, "write");
    record = JsonValues.immutableCopy(record == null ? Map.of() : record);
  }
}
