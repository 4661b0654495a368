package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A page of the change feed.
 *
 * @param changes changes with {@code seq} greater than the request's {@code since}, ascending
 * @param hasMore whether more changes follow; pull again with {@code since = nextSince}
 * @param nextSince the {@code since} for the next pull (the last change's seq, or the request's)
 */
public record PullResponse(
    @JsonProperty("changes") List<Change> changes,
    @JsonProperty("has_more") boolean hasMore,
    @JsonProperty("next_since") long nextSince) {
  public PullResponse {
    changes = changes == null ? List.of() : List.copyOf(changes);
  }
}
