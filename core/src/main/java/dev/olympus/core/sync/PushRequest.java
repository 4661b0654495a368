package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A batch of ops from one edge, in the order they are to be applied. */
public record PushRequest(@JsonProperty("ops") List<Op> ops) {
  public PushRequest {
    ops = ops == null ? List.of() : List.copyOf(ops);
  }
}
