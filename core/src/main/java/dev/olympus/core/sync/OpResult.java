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
 * @param record the canonical record after the op (null for a rejected op)
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

  /** This result as the answer to a retry of the same op. */
  public OpResult asDuplicate() {
    return outcome == Outcome.REJECTED
        ? this
        : new OpResult(opId, Outcome.DUPLICATE, seq, record, error, null);
  }
}
