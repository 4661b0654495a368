package dev.olympus.edge.payments;

import java.util.Objects;

/**
 * The processor's final answer to a charge.
 *
 * @param processorRef the processor's id of the charge ({@code pi_…}), when it made one (also for
 *     many declines)
 * @param status the processor's status word ({@code succeeded}, {@code requires_capture}, …) or,
 *     for an error, the error type ({@code card_error}, …)
 * @param code the error code ({@code card_declined}, …), null when approved
 * @param declineCode the issuer's reason ({@code insufficient_funds}, …), when given
 * @param message the processor's sentence, for the person at the terminal and the log
 * @param replayed the processor answered from its idempotency cache: this is a retry of a charge it
 *     already made
 */
public record ChargeResult(
    Outcome outcome,
    String processorRef,
    String status,
    String code,
    String declineCode,
    String message,
    int httpStatus,
    boolean replayed) {
  /** What the answer means for the payment. */
  public enum Outcome {
    /** The card was charged (or authorized, for a manual capture). */
    APPROVED,
    /** The card was refused: final, retrying will not help. */
    DECLINED,
    /** The processor refused the request itself (invalid, key reused): final, needs a person. */
    REJECTED
  }

  public ChargeResult {
    Objects.requireNonNull(outcome, "outcome");
  }

  public boolean approved() {
    return outcome == Outcome.APPROVED;
  }
}
