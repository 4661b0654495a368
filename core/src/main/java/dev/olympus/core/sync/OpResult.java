package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The cloud's answer to one pushed op.
 *
 * @param opId the op answered
 * @param outcome applied, merged, rejected or duplicate
 * @param seq the sequence number of the change it made, null when it changed nothing
 * @param record the canonical record after the op; null for a rejected op, and on the wire for an
 *     op applied exactly as written (outcome applied, the op's own clock and node as version and
 *     origin), which the writer already holds
 * @param error why a rejected op was rejected
 * @param queuedForReview true when this rejection moved the op to the review queue: the edge drops
 *     it from its outbox
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OpResult(
    @JsonProperty("op_id") String opId,
    @JsonProperty("outcome") Outcome outcome,
    @JsonProperty("seq") Long seq,
    @JsonProperty("record") RecordState record,
    @JsonProperty("error") ApiError error,
    @JsonProperty("queued_for_review") Boolean queuedForReview) {
  public OpResult {
    Objects.requireNonNull(opId, "op_id");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** A rejection with an error a person can act on. */
  public static OpResult rejected(String opId, ApiError error) {
    return new OpResult(opId, Outcome.REJECTED, null, null, error, null);
  }

  /** This result without its record: how an op applied exactly as written is answered. */
  public OpResult withoutRecord() {
    return record == null ? this : new OpResult(opId, outcome, seq, null, error, queuedForReview);
  }

  /**
   * This result as the answer to a retry of the same op, with the record as it was then. The
   * protocol answers a retry with the <em>current</em> record: use {@link
   * #asDuplicate(RecordState)}.
   */
  public OpResult asDuplicate() {
    return asDuplicate(record);
  }

  /**
   * This result as the answer to a retry of the same op: the first outcome's {@code seq} and the
   * record as it is now. The current record matters: while the op was pending the edge skipped this
   * record's changes in its pulls, and it keeps the record of this answer as the truth.
   *
   * @param current the record as the cloud holds it now
   */
  public OpResult asDuplicate(RecordState current) {
    return outcome == Outcome.REJECTED
        ? this
        : new OpResult(opId, Outcome.DUPLICATE, seq, current, error, null);
  }
}
