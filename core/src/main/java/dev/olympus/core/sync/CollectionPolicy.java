package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** How one collection syncs: its priority in the outbox and its conflict strategy. */
public record CollectionPolicy(
    @JsonProperty("priority") Priority priority, @JsonProperty("strategy") Strategy strategy) {
  public CollectionPolicy {
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(strategy, "strategy");
  }
}
