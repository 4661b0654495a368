package dev.olympus.core.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.conflict.Application;
import dev.olympus.core.conflict.ChangeApplier;
import dev.olympus.core.conflict.LastWriteWins;
import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.core.sync.PushRequest;
import dev.olympus.core.sync.PushResponse;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cloud of the convergence model: records of one collection, the {@link ChangeApplier}, the op
 * ids it has seen (a retried op is answered with its first result and applied once) and a change
 * feed numbered by {@code seq}, as docs/protocol.md describes.
 */
final class ModelServer {
  static final String NODE_ID = "cloud";

  private final ChangeApplier applier;
  private final CollectionPolicy policy;
  private final StrategyOracle oracle;
  private final Map<String, RecordState> records = new TreeMap<>();
  private final Map<String, Long> recordSeq = new HashMap<>();
  private final Map<String, OpResult> firstResults = new HashMap<>();
  private final Map<String, Integer> counts = new TreeMap<>();
  private final java.util.Set<String> rejected = new java.util.HashSet<>();
  private long seq;

  ModelServer(Clock wall, CollectionPolicy policy, StrategyOracle oracle) {
    this.applier =
        new ChangeApplier(
            new HybridLogicalClock(wall, Duration.ofMinutes(5)),
            NODE_ID,
            ChangeApplier.builtInResolvers());
    this.policy = policy;
    this.oracle = oracle;
  }

  /** Applies a push request's ops in order and answers one result per op. */
  PushResponse push(PushRequest request) {
    List<OpResult> results = new ArrayList<>();
    for (Op op : request.ops()) {
      results.add(pushOne(op));
    }
    return new PushResponse(results);
  }

  private OpResult pushOne(Op op) {
    OpResult first = firstResults.get(op.opId());
    if (first != null) {
      count("duplicate");
      // The current record, not the first result's: the edge may have skipped later changes of
      // this record in a pull while the op was pending, and must not keep an older state. (With
      // first.asDuplicate() this model's replicas diverge.)
      return first.asDuplicate(records.get(op.recordId()));
    }
    Optional<RecordState> before = Optional.ofNullable(records.get(op.recordId()));
    Application a = applier.apply(before, op, policy);
    checkApplication(before, op, a);
    oracle.check(before, op, a);
    count(a.outcome().wireName() + (a.conflict() ? "+conflict" : "") + (a.skewed() ? "+skew" : ""));
    if (a.outcome() == Outcome.REJECTED) {
      count("rejected:" + a.error().code());
      rejected.add(op.opId());
      return OpResult.rejected(op.opId(), a.error());
    }
    Long assigned = null;
    RecordState state = a.state().orElseThrow();
    if (a.changed()) {
      assigned = ++seq;
      records.put(state.id(), state);
      recordSeq.put(state.id(), assigned);
    }
    OpResult result = new OpResult(op.opId(), a.outcome(), assigned, state, null, null);
    firstResults.put(op.opId(), result);
    return result;
  }

  private void checkApplication(Optional<RecordState> before, Op op, Application a) {
    if (a.outcome() == Outcome.REJECTED) {
      assertThat(a.changed()).as("a rejected op changes nothing").isFalse();
      assertThat(a.state()).isEqualTo(before);
      return;
    }
    RecordState after = a.state().orElseThrow();
    assertThat(after.id()).isEqualTo(op.recordId());
    if (before.isEmpty()) {
      assertThat(a.changed()).as("creating a record is a change").isTrue();
      return;
    }
    if (a.changed()) {
      assertThat(after).isNotEqualTo(before.get());
      if (policy.strategy().kind() == Strategy.Kind.MERGE) {
        // Merge ignores base versions; its record version is the latest write's, never older.
        assertThat(LastWriteWins.isNewer(before.get(), after))
            .as("merge: version of %s went back after %s", op.recordId(), op)
            .isFalse();
      } else {
        // Versions only grow, so a base version always names one state of the record.
        assertThat(Long.compareUnsigned(after.version(), before.get().version()))
            .as("version of %s after %s must grow", op.recordId(), op)
            .isPositive();
      }
    } else {
      assertThat(after).as("an unchanged record is the record before").isEqualTo(before.get());
    }
  }

  /** The changes above {@code since}, the latest state of each record, ascending by seq. */
  PullResponse pull(long since, int limit) {
    List<Change> changes =
        recordSeq.entrySet().stream()
            .filter(e -> e.getValue() > since)
            .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
            .map(e -> new Change(e.getValue(), null, records.get(e.getKey())))
            .toList();
    boolean hasMore = changes.size() > limit;
    List<Change> page = hasMore ? changes.subList(0, limit) : changes;
    long next = page.isEmpty() ? since : page.get(page.size() - 1).seq();
    return new PullResponse(page, hasMore, next);
  }

  /** Whether an op was applied once (possibly changing nothing) or rejected. */
  boolean answered(String opId) {
    return firstResults.containsKey(opId) || rejected.contains(opId);
  }

  Optional<RecordState> get(String id) {
    return Optional.ofNullable(records.get(id));
  }

  Map<String, RecordState> records() {
    return records;
  }

  Map<String, Integer> counts() {
    return counts;
  }

  private void count(String key) {
    counts.merge(key, 1, Integer::sum);
  }
}
