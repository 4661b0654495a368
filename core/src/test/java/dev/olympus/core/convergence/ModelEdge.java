package dev.olympus.core.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.core.sync.PushRequest;
import dev.olympus.core.sync.PushResponse;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.testing.SkewedClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An edge replica of the convergence model: local records, a transactional outbox of ops, its own
 * clock (the shared wall clock plus this node's error) and a pull cursor.
 */
final class ModelEdge {
  final String id;
  private final String collection;
  private final HybridLogicalClock clock;
  private final Map<String, RecordState> records = new TreeMap<>();
  private final List<Op> outbox = new ArrayList<>();
  private final Set<String> stale = new HashSet<>();
  private final Set<String> written = new HashSet<>();
  private long cursor;
  private int opCounter;
  private long lastIssued;

  /** The request whose answer this edge still waits for; earlier ones timed out. */
  private PushRequest awaiting;

  ModelEdge(String id, String collection, Clock sharedWall, long skewMillis) {
    this.id = id;
    this.collection = collection;
    this.clock =
        new HybridLogicalClock(new SkewedClock(sharedWall, skewMillis), Duration.ofMinutes(5));
  }

  /**
   * A local write: the record and its outbox op change together, the op based on the local version
   * before the write.
   *
   * @return false when the write is not possible here (patch or delete of an absent record)
   */
  boolean write(OpAction action, String recordId, Map<String, Object> data) {
    RecordState local = records.get(recordId);
    boolean live = local != null && !local.deleted();
    if (action != OpAction.PUT && !live) {
      return false;
    }
    long hlc = clock.now();
    assertThat(hlc).as("%s: timestamps only increase", id).isGreaterThan(lastIssued);
    lastIssued = hlc;
    Map<String, Object> newData = new LinkedHashMap<>();
    switch (action) {
      case PUT -> newData.putAll(data);
      case PATCH -> {
        newData.putAll(local.data());
        newData.putAll(data);
      }
      case DELETE -> {}
    }
    Op op =
        new Op(
            id + "-op" + ++opCounter,
            collection,
            recordId,
            action,
            action == OpAction.DELETE ? Map.of() : data,
            local == null ? 0 : local.version(),
            hlc,
            id,
            local == null ? null : local.origin());
    outbox.add(op);
    written.add(op.opId());
    records.put(
        recordId,
        new RecordState(
            collection, recordId, newData, hlc, id, Map.of(), action == OpAction.DELETE));
    return true;
  }

  /** Sends the first {@code batchSize} outbox ops; any request still unanswered has timed out. */
  Optional<PushRequest> send(int batchSize) {
    if (outbox.isEmpty()) {
      awaiting = null;
      return Optional.empty();
    }
    awaiting = new PushRequest(List.copyOf(outbox.subList(0, Math.min(batchSize, outbox.size()))));
    return Optional.of(awaiting);
  }

  boolean awaits(PushRequest request) {
    return awaiting == request;
  }

  /** The answer never came: the ops stay in the outbox and go again. */
  void timeOut(PushRequest request) {
    if (awaiting == request) {
      awaiting = null;
    }
  }

  /** Stores each result, then removes its op from the outbox. */
  void onResponse(PushRequest request, PushResponse response, ModelServer server) {
    assertThat(awaiting).isSameAs(request);
    awaiting = null;
    assertThat(response.results()).hasSize(request.ops().size());
    for (int i = 0; i < request.ops().size(); i++) {
      Op op = request.ops().get(i);
      OpResult result = response.results().get(i);
      assertThat(result.opId()).isEqualTo(op.opId());
      outbox.removeIf(o -> o.opId().equals(op.opId()));
      if (result.outcome() == Outcome.REJECTED) {
        // Dropped (the cloud would send it to review); the local record is no longer the truth.
        stale.add(op.recordId());
      } else if (!hasPending(op.recordId())) {
        // Later ops of this record are still on their way; their results will bring it.
        store(result.record());
      }
    }
    refreshStale(server);
  }

  /** Pulls one page and applies it, except to records with pending ops. */
  boolean pull(ModelServer server, int limit) {
    PullResponse page = server.pull(cursor, limit);
    for (Change c : page.changes()) {
      assertThat(c.seq()).isGreaterThan(cursor);
      if (!hasPending(c.record().id())) {
        store(c.record());
      }
    }
    cursor = page.nextSince();
    refreshStale(server);
    return page.hasMore();
  }

  private void refreshStale(ModelServer server) {
    for (String recordId : List.copyOf(stale)) {
      if (!hasPending(recordId)) {
        Optional<RecordState> current = server.get(recordId);
        if (current.isPresent()) {
          store(current.get());
        } else {
          records.remove(recordId);
        }
        stale.remove(recordId);
      }
    }
  }

  private void store(RecordState state) {
    clock.receive(state.version());
    records.put(state.id(), state);
    stale.remove(state.id());
  }

  private boolean hasPending(String recordId) {
    for (Op o : outbox) {
      if (o.recordId().equals(recordId)) {
        return true;
      }
    }
    return false;
  }

  /** The ids of every op this edge wrote. */
  Set<String> written() {
    return written;
  }

  boolean outboxEmpty() {
    return outbox.isEmpty();
  }

  Map<String, RecordState> records() {
    return records;
  }
}
