package dev.olympus.core.conflict;

import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.RecordState;
import java.util.Objects;
import java.util.Optional;

/**
 * What applying one op to a record gives.
 *
 * @param outcome applied, merged or rejected
 * @param state the record after the op; for a rejected op, the record as it was (possibly absent)
 * @param changed whether {@code state} differs from the record before, so a change must be stored
 *     and published under a new sequence number
 * @param conflict whether the op met a concurrent edit that its collection's strategy resolved;
 *     such resolutions go to the conflict audit log
 * @param skewed whether the op's clock was too far ahead and the receiver's clock was used instead;
 *     also audited
 * @param error why the op was rejected
 */
public record Application(
    Outcome outcome,
    Optional<RecordState> state,
    boolean changed,
    boolean conflict,
    boolean skewed,
    ApiError error) {
  public Application {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(state, "state");
    if ((outcome == Outcome.REJECTED) != (error != null)) {
      throw new IllegalArgumentException("a rejected op needs an error, and only a rejected one");
    }
  }

  /** Whether the audit log must record this resolution. */
  public boolean audited() {
    return conflict || skewed;
  }
}
