package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One result per op, in the order of the request. */
public record PushResponse(@JsonProperty("results") List<OpResult> results) {
  public PushResponse {
    results = results == null ? List.of() : List.copyOf(results);
  }
}
