package dev.olympus.core.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.conflict.Application;
import dev.olympus.core.conflict.ChangeApplier;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.Priority;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
import dev.olympus.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Where a strategy promises it, the cloud's final state does not depend on the order in which a
 * fixed set of ops arrives, nor on an op arriving twice: field-level last write wins ({@code
 * merge}) and {@code append_only}.
 */
class OrderIndependenceTest {
  private static final long T0 = 1_760_000_000_000L;
  private static final String[] FIELDS = {"in", "out", "break", "role"};
  private static final int RECORDS = 3;

  /** An op before the run turns it into an {@link Op}; clocks are close so that ties happen. */
  record Write(
      int node,
      OpAction action,
      int record,
      Map<Integer, Integer> fields,
      long millis,
      int logical) {}

  @Property(tries = 600)
  void merge_anyDeliveryOrder_sameFinalRecords(
      @ForAll("mergeWrites") List<Write> writes, @ForAll long shuffleSeed) {
    CollectionPolicy merge = new CollectionPolicy(Priority.HIGH, Strategy.MERGE);
    List<Op> seeds = new ArrayList<>();
    for (int r = 0; r < RECORDS; r++) {
      seeds.add(
          new Op(
              "seed-" + r,
              "time_punches",
              "r" + r,
              OpAction.PUT,
              Map.of("in", 0L),
              0,
              HybridLogicalClock.encode(T0 - 1_000, r),
              "seed"));
    }
    List<Op> ops = toOps(writes, "time_punches", false);

    Map<String, RecordState> inOrder = applyAll(merge, seeds, ops);
    List<Op> shuffled = shuffledWithRepeats(ops, shuffleSeed);
    Map<String, RecordState> otherOrder = applyAll(merge, seeds, shuffled);

    // The same content and field clocks whatever the order. The record's own version may differ:
    // a merge that met a concurrent edit is stamped with the receiver's clock (see
    // ChangeApplier#distinctFromWritersCopy), and the order decides which writes met one.
    assertThat(mergeContent(otherOrder))
        .as("delivered as %s", ids(shuffled))
        .isEqualTo(mergeContent(inOrder));
  }

  @Property(tries = 600)
  void appendOnly_anyDeliveryOrder_sameFinalContent(
      @ForAll("appendWrites") List<Write> writes, @ForAll long shuffleSeed) {
    CollectionPolicy appendOnly = new CollectionPolicy(Priority.CRITICAL, Strategy.APPEND_ONLY);
    List<Op> ops = toOps(writes, "payments", true);

    Map<String, RecordState> inOrder = applyAll(appendOnly, List.of(), ops);
    List<Op> shuffled = shuffledWithRepeats(ops, shuffleSeed);
    Map<String, RecordState> otherOrder = applyAll(appendOnly, List.of(), shuffled);

    // Versions may differ: of identical inserts, the first to arrive stays. Content may not.
    assertThat(otherOrder.keySet()).isEqualTo(inOrder.keySet());
    for (Map.Entry<String, RecordState> e : inOrder.entrySet()) {
      RecordState other = otherOrder.get(e.getKey());
      assertThat(other.sameContentAs(e.getValue()))
          .as("%s delivered as %s: %s vs %s", e.getKey(), ids(shuffled), other, e.getValue())
          .isTrue();
    }
    for (Op op : ops) {
      if (op.action() == OpAction.PUT) {
        assertThat(inOrder).as("every insert is kept").containsKey(op.recordId());
      }
    }
  }

  private static Map<String, RecordState> applyAll(
      CollectionPolicy policy, List<Op> seeds, List<Op> ops) {
    ChangeApplier applier =
        new ChangeApplier(
            new HybridLogicalClock(new MutableClock(T0), Duration.ofMinutes(5)),
            "cloud",
            ChangeApplier.builtInResolvers());
    Map<String, RecordState> records = new TreeMap<>();
    for (Op op : seeds) {
      records.put(op.recordId(), applier.apply(Optional.empty(), op, policy).state().orElseThrow());
    }
    for (Op op : ops) {
      Application a = applier.apply(Optional.ofNullable(records.get(op.recordId())), op, policy);
      assertThat(a.skewed()).isFalse();
      if (a.outcome() != Outcome.REJECTED) {
        records.put(op.recordId(), a.state().orElseThrow());
      }
    }
    return records;
  }

  /** {@code ops} in a random order, some of them twice (a retried op under the same id). */
  private static List<Op> shuffledWithRepeats(List<Op> ops, long seed) {
    Random random = new Random(seed);
    List<Op> out = new ArrayList<>(ops);
    for (Op op : ops) {
      if (random.nextInt(4) == 0) {
        out.add(op);
      }
    }
    Collections.shuffle(out, random);
    return out;
  }

  private static List<Op> toOps(List<Write> writes, String collection, boolean appendOnly) {
    List<Op> ops = new ArrayList<>();
    int n = 0;
    for (Write w : writes) {
      String recordId = (appendOnly ? "p" : "r") + w.record();
      Map<String, Object> data = new LinkedHashMap<>();
      if (appendOnly) {
        // One content per id, so a second put of an id is the same insert sent again.
        data.put("amount", 100L * (w.record() + 1));
        data.put("method", w.record() % 2 == 0 ? "card" : "cash");
      } else {
        w.fields().forEach((f, v) -> data.put(FIELDS[f], v % 2 == 0 ? (Object) (long) v : "t" + v));
      }
      ops.add(
          new Op(
              "op-" + n++,
              collection,
              recordId,
              w.action(),
              w.action() == OpAction.DELETE ? Map.of() : data,
              0,
              HybridLogicalClock.encode(T0 + w.millis(), w.logical()),
              "edge-" + w.node()));
    }
    return ops;
  }

  private static List<String> ids(List<Op> ops) {
    return ops.stream().map(Op::opId).toList();
  }

  @Provide
  Arbitrary<List<Write>> mergeWrites() {
    return writes(
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(OpAction.PUT)),
            Tuple.of(4, Arbitraries.just(OpAction.PATCH)),
            Tuple.of(2, Arbitraries.just(OpAction.DELETE))),
        RECORDS);
  }

  @Provide
  Arbitrary<List<Write>> appendWrites() {
    return writes(
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.just(OpAction.PUT)),
            Tuple.of(1, Arbitraries.just(OpAction.PATCH)),
            Tuple.of(1, Arbitraries.just(OpAction.DELETE))),
        6);
  }

  private static Arbitrary<List<Write>> writes(Arbitrary<OpAction> actions, int records) {
    Arbitrary<Map<Integer, Integer>> fields =
        Arbitraries.maps(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 5))
            .ofMinSize(1)
            .ofMaxSize(3);
    // A node never issues one timestamp twice; different nodes often do.
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            actions,
            Arbitraries.integers().between(0, records - 1),
            fields,
            Arbitraries.longs().between(0, 2),
            Arbitraries.integers().between(0, 2))
        .as(Write::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(25)
        .uniqueElements(w -> List.of(w.node(), w.millis(), w.logical()));
  }

  private static Map<String, List<Object>> mergeContent(Map<String, RecordState> records) {
    Map<String, List<Object>> content = new java.util.TreeMap<>();
    records.forEach((id, r) -> content.put(id, List.of(r.data(), r.deleted(), r.fieldVersions())));
    return content;
  }
}
