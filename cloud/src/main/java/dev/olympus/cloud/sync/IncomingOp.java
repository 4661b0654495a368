package dev.olympus.cloud.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.Op;
import java.util.Objects;

/**
 * One op of a push as received: parsed, or refused with the reason (a bad op is answered on its
 * own, never failing the batch).
 *
 * @param opId the op's id, or {@code ""} when even that could not be read
 * @param op the parsed op, null when {@code error} is set
 * @param error why the op could not be parsed
 * @param raw the op as sent, kept for the review queue
 * @param baseIsCurrent true for a cloud write without {@code If-Match}: the base version is
 *     whatever the record holds when the op is applied, so it never conflicts
 * @param dataJson the op's {@code data} exactly as sent (null when unknown): a record that takes
 *     the op's data as is is stored with this text instead of a re-encoding
 */
public record IncomingOp(
    String opId, Op op, ApiError error, JsonNode raw, boolean baseIsCurrent, String dataJson) {
  public IncomingOp {
    Objects.requireNonNull(opId, "opId");
    if ((op == null) == (error == null)) {
      throw new IllegalArgumentException("an incoming op is either parsed or refused");
    }
  }

  public static IncomingOp parsed(Op op, JsonNode raw) {
    return parsed(op, raw, null);
  }

  /** A pushed op whose {@code data} arrived as the JSON text {@code dataJson}. */
  public static IncomingOp parsed(Op op, JsonNode raw, String dataJson) {
    return new IncomingOp(op.opId(), op, null, raw, false, dataJson);
  }

  public static IncomingOp invalid(String opId, ApiError error, JsonNode raw) {
    return new IncomingOp(opId == null ? "" : opId, null, error, raw, false, null);
  }

  /** A write made by the cloud itself (records API, device registry). */
  public static IncomingOp cloudWrite(Op op, boolean baseIsCurrent) {
    return new IncomingOp(op.opId(), op, null, null, baseIsCurrent, null);
  }

  public boolean valid() {
    return op != null;
  }
}
