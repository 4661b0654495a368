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
 * @param mustExist true when the op is refused ({@code not_found}) unless its record exists and is
 *     not deleted, checked where the op is applied (a cloud write's PATCH or DELETE)
 */
public record IncomingOp(
    String opId,
    Op op,
    ApiError error,
    JsonNode raw,
    boolean baseIsCurrent,
    String dataJson,
    boolean mustExist) {
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
    return new IncomingOp(op.opId(), op, null, raw, false, dataJson, false);
  }

  public static IncomingOp invalid(String opId, ApiError error, JsonNode raw) {
    return new IncomingOp(opId == null ? "" : opId, null, error, raw, false, null, false);
  }

  /** A write made by the cloud itself (records API, device registry). */
  public static IncomingOp cloudWrite(Op op, boolean baseIsCurrent) {
    return cloudWrite(op, baseIsCurrent, false);
  }

  /** A cloud write that is refused unless its record exists (see {@code mustExist}). */
  public static IncomingOp cloudWrite(Op op, boolean baseIsCurrent, boolean mustExist) {
    return new IncomingOp(op.opId(), op, null, null, baseIsCurrent, null, mustExist);
  }

  public boolean valid() {
    return op != null;
  }
}
