package dev.olympus.core.convergence;

import dev.olympus.core.sync.OpAction;
import java.util.List;
import java.util.Map;

/** A random run of the convergence model: the edges' clock errors and what happens, in order. */
record SyncScript(List<Long> edgeSkewsMillis, List<Action> actions) {

  /** One step of a run. */
  sealed interface Action {}

  /**
   * A local write on an edge; {@code fields} maps field and value indexes, which the run turns into
   * the collection's fields.
   */
  record Write(int edge, OpAction action, int record, Map<Integer, Integer> fields)
      implements Action {}

  /** The edge sends its first {@code batchSize} outbox ops; an unanswered request times out. */
  record Send(int edge, int batchSize) implements Action {}

  /**
   * The network delivers one request in flight (picked by {@code pick}), perhaps losing the answer,
   * perhaps keeping a copy that arrives again later.
   */
  record Deliver(int pick, boolean loseResponse, boolean duplicate) implements Action {}

  /** The edge pulls one page of at most {@code limit} changes. */
  record Pull(int edge, int limit) implements Action {}

  /** Wall time moves, forwards or (an NTP step) backwards. */
  record Tick(long millis) implements Action {}
}
