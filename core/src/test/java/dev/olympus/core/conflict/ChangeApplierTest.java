package dev.olympus.core.conflict;

import static dev.olympus.core.clock.HybridLogicalClock.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.Priority;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
import dev.olympus.core.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeApplierTest {
  private static final long T0 = 1_760_000_000_000L;
  private static final CollectionPolicy LWW = policy(Strategy.LAST_WRITE_WINS);

  private final MutableClock wall = new MutableClock(T0);
  private final HybridLogicalClock clock = new HybridLogicalClock(wall, Duration.ofMinutes(5));
  private final ChangeApplier applier =
      new ChangeApplier(clock, "cloud", ChangeApplier.builtInResolvers());
  private int opCounter;

  @Test
  void apply_putOfNewRecord_createsItWithTheOpsClockAndNode() {
    Op op = op(OpAction.PUT, Map.of("name", "T1"), 0, ts(-100), "edge-a");

    Application a = applier.apply(Optional.empty(), op, LWW);

    assertThat(a.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(a.changed()).isTrue();
    assertThat(a.audited()).isFalse();
    RecordState s = a.state().orElseThrow();
    assertThat(s.data()).isEqualTo(Map.of("name", "T1"));
    assertThat(s.version()).isEqualTo(ts(-100));
    assertThat(s.origin()).isEqualTo("edge-a");
    assertThat(s.deleted()).isFalse();
    assertThat(clock.peek()).isGreaterThanOrEqualTo(ts(-100));
  }

  @Test
  void apply_writeBasedOnCurrentVersion_isPlainApply() {
    RecordState server = record(Map.of("a", 1, "b", 2), ts(-500), "edge-b");
    Op patch = op(OpAction.PATCH, Map.of("b", 3), server.version(), ts(-100), "edge-a");

    Application a = applier.apply(Optional.of(server), patch, LWW);

    assertThat(a.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(a.conflict()).isFalse();
    assertThat(a.state().orElseThrow().data()).isEqualTo(Map.of("a", 1L, "b", 3L));
    assertThat(a.state().orElseThrow().version()).isEqualTo(ts(-100));
  }

  @Test
  void apply_plainWriteWithClockBehindRecord_isRestampedAfterIt() {
    RecordState server = record(Map.of("a", 1), ts(-100), "edge-b");
    Op put = op(OpAction.PUT, Map.of("a", 2), server.version(), ts(-500), "edge-a");

    RecordState s = applier.apply(Optional.of(server), put, LWW).state().orElseThrow();

    assertThat(s.data()).isEqualTo(Map.of("a", 2L));
    assertThat(s.version()).isGreaterThan(server.version());
    assertThat(s.origin()).isEqualTo("cloud");
  }

  @Test
  void apply_chainOfTwoOpsFromOneWriter_isNotAConflict() {
    Op first = op(OpAction.PUT, Map.of("a", 1), 0, ts(-300), "edge-a");
    Op second = op(OpAction.PATCH, Map.of("a", 2), first.hlc(), ts(-200), "edge-a");

    for (Strategy strategy :
        new Strategy[] {
          Strategy.LAST_WRITE_WINS,
          Strategy.SERVER_WINS,
          Strategy.CLIENT_WINS,
          Strategy.MERGE,
          Strategy.custom("orders")
        }) {
      Application a1 = applier.apply(Optional.empty(), first, policy(strategy));
      Application a2 = applier.apply(a1.state(), second, policy(strategy));

      assertThat(a2.conflict()).as(strategy.wireName()).isFalse();
      assertThat(a2.outcome()).as(strategy.wireName()).isEqualTo(Outcome.APPLIED);
      assertThat(a2.state().orElseThrow().data())
          .as(strategy.wireName())
          .isEqualTo(Map.of("a", 2L));
    }
  }

  @Test
  void apply_patchOfMissingRecord_isRejectedNotFound() {
    Op patch = op(OpAction.PATCH, Map.of("a", 1), 0, ts(0), "edge-a");

    Application a = applier.apply(Optional.empty(), patch, LWW);

    assertThat(a.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(a.state()).isEmpty();
    assertThat(a.changed()).isFalse();
    assertThat(a.error().code()).isEqualTo("not_found");
    assertThat(a.error().message()).contains("tables/r1").contains("PUT");
  }

  @Test
  void apply_emptyPatch_isRejected() {
    RecordState server = record(Map.of("a", 1), ts(-100), "edge-b");

    Application a =
        applier.apply(Optional.of(server), op(OpAction.PATCH, Map.of(), ts(-100), ts(0), "e"), LWW);

    assertThat(a.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(a.error().code()).isEqualTo("empty_patch");
    assertThat(a.state()).contains(server);
  }

  @Test
  void apply_patchOfTombstoneBasedOnIt_isRejectedRecordDeleted() {
    RecordState tombstone =
        new RecordState("tables", "r1", Map.of(), ts(-100), "edge-b", Map.of(), true);

    Application a =
        applier.apply(
            Optional.of(tombstone), op(OpAction.PATCH, Map.of("a", 1), ts(-100), ts(0), "e"), LWW);

    assertThat(a.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(a.error().code()).isEqualTo("record_deleted");
  }

  @Test
  void apply_deleteBasedOnCurrent_leavesTombstone() {
    RecordState server = record(Map.of("a", 1), ts(-100), "edge-b");

    RecordState s =
        applier
            .apply(Optional.of(server), op(OpAction.DELETE, null, ts(-100), ts(0), "e"), LWW)
            .state()
            .orElseThrow();

    assertThat(s.deleted()).isTrue();
    assertThat(s.data()).isEmpty();
  }

  @Test
  void apply_lwwConflictWithNewerOp_opWinsAndIsAudited() {
    RecordState server = record(Map.of("a", 1), ts(-100), "edge-b");
    Op put = op(OpAction.PUT, Map.of("a", 2), ts(-900), ts(-50), "edge-a");

    Application a = applier.apply(Optional.of(server), put, LWW);

    assertThat(a.conflict()).isTrue();
    assertThat(a.audited()).isTrue();
    assertThat(a.changed()).isTrue();
    assertThat(a.state().orElseThrow().data()).isEqualTo(Map.of("a", 2L));
    assertThat(a.state().orElseThrow().version()).isEqualTo(ts(-50));
  }

  @Test
  void apply_lwwConflictWithOlderOp_serverKeptAndReportedMerged() {
    RecordState server = record(Map.of("a", 1), ts(-100), "edge-b");
    Op put = op(OpAction.PUT, Map.of("a", 2), ts(-900), ts(-200), "edge-a");

    Application a = applier.apply(Optional.of(server), put, LWW);

    assertThat(a.conflict()).isTrue();
    assertThat(a.changed()).isFalse();
    assertThat(a.outcome()).isEqualTo(Outcome.MERGED);
    assertThat(a.state()).contains(server);
  }

  @Test
  void apply_lwwConflictWithEqualClocks_higherNodeIdWins() {
    RecordState server = record(Map.of("a", 1), ts(-100), "edge-b");
    Op fromA = op(OpAction.PUT, Map.of("a", 2), ts(-900), ts(-100), "edge-a");
    Op fromC = op(OpAction.PUT, Map.of("a", 3), ts(-900), ts(-100), "edge-c");

    assertThat(applier.apply(Optional.of(server), fromA, LWW).state()).contains(server);
    RecordState won = applier.apply(Optional.of(server), fromC, LWW).state().orElseThrow();
    assertThat(won.data()).isEqualTo(Map.of("a", 3L));
  }

  @Test
  void apply_lwwConflictWonOnNodeIdWithEqualClock_getsANewerVersion() {
    // Regression: the winner kept the record's version, so two states shared one version and an
    // op based on the losing state (edge-b's own write) passed as a plain write.
    RecordState server = record(Map.of("a", 1), ts(-100), "edge-b");
    Op fromC = op(OpAction.PUT, Map.of("a", 3), 0, ts(-100), "edge-c");

    RecordState won = applier.apply(Optional.of(server), fromC, LWW).state().orElseThrow();

    assertThat(won.version()).isGreaterThan(server.version());
    assertThat(won.origin()).isEqualTo("cloud");
    Op basedOnLoser = op(OpAction.PATCH, Map.of("b", 1), server.version(), ts(-50), "edge-b");
    assertThat(
            applier.apply(Optional.of(won), basedOnLoser, policy(Strategy.SERVER_WINS)).conflict())
        .isTrue();
  }

  @Test
  void apply_storedVersionAheadOfFreshClock_resolvedVersionStillGrows() {
    // A restarted cloud's clock has seen nothing; the stored record is a minute ahead of it.
    RecordState server = record(Map.of("status", "ready"), ts(60_000), "edge-b");
    Op put = op(OpAction.PUT, Map.of("status", "pending"), 0, ts(-100), "edge-a");

    RecordState s =
        applier
            .apply(Optional.of(server), put, policy(Strategy.custom("orders")))
            .state()
            .orElseThrow();

    assertThat(s.version()).isGreaterThan(server.version());
  }

  @Test
  void apply_serverWinsConflict_keepsServerAndReportsMergedUnchanged() {
    RecordState server = record(Map.of("price", 900), ts(-100), "cloud");
    Op put = op(OpAction.PUT, Map.of("price", 100), ts(-900), ts(0), "edge-a");

    Application a = applier.apply(Optional.of(server), put, policy(Strategy.SERVER_WINS));

    assertThat(a.outcome()).isEqualTo(Outcome.MERGED);
    assertThat(a.conflict()).isTrue();
    assertThat(a.changed()).isFalse();
    assertThat(a.state()).contains(server);
  }

  @Test
  void apply_serverWinsWithoutConflict_appliesTheOp() {
    RecordState server = record(Map.of("price", 900), ts(-100), "cloud");
    Op put = op(OpAction.PUT, Map.of("price", 100), ts(-100), ts(0), "edge-a");

    Application a = applier.apply(Optional.of(server), put, policy(Strategy.SERVER_WINS));

    assertThat(a.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(a.state().orElseThrow().data()).isEqualTo(Map.of("price", 100L));
  }

  @Test
  void apply_clientWinsConflictWithOlderClock_clientContentWinsWithNewerVersion() {
    RecordState server = record(Map.of("a", 1), ts(-100), "edge-b");
    Op put = op(OpAction.PUT, Map.of("a", 2), ts(-900), ts(-200), "edge-a");

    Application a = applier.apply(Optional.of(server), put, policy(Strategy.CLIENT_WINS));

    RecordState s = a.state().orElseThrow();
    assertThat(a.conflict()).isTrue();
    assertThat(a.changed()).isTrue();
    assertThat(s.data()).isEqualTo(Map.of("a", 2L));
    assertThat(s.version()).isGreaterThan(server.version());
    assertThat(s.origin()).isEqualTo("cloud");
  }

  @Test
  void apply_mergeConcurrentEditsOfDifferentFields_keepsBoth() {
    CollectionPolicy merge = policy(Strategy.MERGE);
    Op create = op(OpAction.PUT, Map.of("in", "09:00", "out", "17:00"), 0, ts(-900), "edge-a");
    RecordState base = applier.apply(Optional.empty(), create, merge).state().orElseThrow();
    Op fromA = op(OpAction.PATCH, Map.of("in", "09:05"), base.version(), ts(-200), "edge-a");
    Op fromB = op(OpAction.PATCH, Map.of("out", "17:30"), base.version(), ts(-300), "edge-b");

    Application a1 = applier.apply(Optional.of(base), fromA, merge);
    Application a2 = applier.apply(a1.state(), fromB, merge);

    assertThat(a1.conflict()).isFalse();
    assertThat(a2.conflict()).isTrue();
    assertThat(a2.outcome()).isEqualTo(Outcome.MERGED);
    RecordState s = a2.state().orElseThrow();
    assertThat(s.data()).isEqualTo(Map.of("in", "09:05", "out", "17:30"));
    assertThat(s.version()).isEqualTo(ts(-200));
    assertThat(s.fieldVersions()).containsEntry("in", ts(-200)).containsEntry("out", ts(-300));
  }

  @Test
  void apply_mergeConcurrentEditsOfOneField_laterClockWinsInEitherOrder() {
    CollectionPolicy merge = policy(Strategy.MERGE);
    RecordState base =
        applier
            .apply(Optional.empty(), op(OpAction.PUT, Map.of("x", 0), 0, ts(-900), "e"), merge)
            .state()
            .orElseThrow();
    Op older = op(OpAction.PATCH, Map.of("x", 1), base.version(), ts(-300), "edge-a");
    Op newer = op(OpAction.PATCH, Map.of("x", 2), base.version(), ts(-200), "edge-b");

    RecordState ab =
        applier
            .apply(applier.apply(Optional.of(base), older, merge).state(), newer, merge)
            .state()
            .orElseThrow();
    RecordState ba =
        applier
            .apply(applier.apply(Optional.of(base), newer, merge).state(), older, merge)
            .state()
            .orElseThrow();

    assertThat(ab.data()).isEqualTo(Map.of("x", 2L));
    assertThat(ba.data()).isEqualTo(ab.data());
    assertThat(ba.fieldVersions()).isEqualTo(ab.fieldVersions());
  }

  @Test
  void apply_mergeEqualClocksOnOneField_sameResultInEitherOrder() {
    // Regression: equal field clocks from two nodes used to keep whichever write came first.
    CollectionPolicy merge = policy(Strategy.MERGE);
    RecordState base =
        applier
            .apply(Optional.empty(), op(OpAction.PUT, Map.of("x", 0), 0, ts(-900), "e"), merge)
            .state()
            .orElseThrow();
    Op fromA = op(OpAction.PATCH, Map.of("x", "a"), base.version(), ts(-200), "edge-a");
    Op fromB = op(OpAction.PATCH, Map.of("x", "b"), base.version(), ts(-200), "edge-b");

    RecordState ab =
        applier
            .apply(applier.apply(Optional.of(base), fromA, merge).state(), fromB, merge)
            .state()
            .orElseThrow();
    RecordState ba =
        applier
            .apply(applier.apply(Optional.of(base), fromB, merge).state(), fromA, merge)
            .state()
            .orElseThrow();

    assertThat(ab.data()).isEqualTo(ba.data());
    assertThat(ab.fieldVersions()).isEqualTo(ba.fieldVersions());
  }

  @Test
  void apply_mergeOlderDeleteAfterNewerPut_recordStaysAlive() {
    // Regression: a put on a live record did not stamp the delete flag, so an older delete that
    // arrived later deleted the record in one delivery order and not in the other.
    CollectionPolicy merge = policy(Strategy.MERGE);
    RecordState base =
        applier
            .apply(Optional.empty(), op(OpAction.PUT, Map.of("x", 0), 0, ts(-900), "e"), merge)
            .state()
            .orElseThrow();
    Op delete = op(OpAction.DELETE, null, base.version(), ts(-300), "edge-a");
    Op put = op(OpAction.PUT, Map.of("x", 5), base.version(), ts(-200), "edge-b");

    RecordState putFirst =
        applier
            .apply(applier.apply(Optional.of(base), put, merge).state(), delete, merge)
            .state()
            .orElseThrow();
    RecordState deleteFirst =
        applier
            .apply(applier.apply(Optional.of(base), delete, merge).state(), put, merge)
            .state()
            .orElseThrow();

    assertThat(putFirst.deleted()).isFalse();
    assertThat(putFirst.data()).isEqualTo(Map.of("x", 5L));
    assertThat(deleteFirst).isEqualTo(putFirst);
  }

  @Test
  void apply_mergeNewerDelete_winsOverOlderPatchInEitherOrder() {
    CollectionPolicy merge = policy(Strategy.MERGE);
    RecordState base =
        applier
            .apply(Optional.empty(), op(OpAction.PUT, Map.of("x", 0), 0, ts(-900), "e"), merge)
            .state()
            .orElseThrow();
    Op patch = op(OpAction.PATCH, Map.of("x", 1), base.version(), ts(-300), "edge-a");
    Op delete = op(OpAction.DELETE, null, base.version(), ts(-200), "edge-b");

    RecordState pd =
        applier
            .apply(applier.apply(Optional.of(base), patch, merge).state(), delete, merge)
            .state()
            .orElseThrow();
    RecordState dp =
        applier
            .apply(applier.apply(Optional.of(base), delete, merge).state(), patch, merge)
            .state()
            .orElseThrow();

    assertThat(pd.deleted()).isTrue();
    assertThat(dp.sameContentAs(pd)).isTrue();
    assertThat(dp.fieldVersions()).isEqualTo(pd.fieldVersions());
  }

  @Test
  void apply_appendOnlyNewRecord_isApplied() {
    Application a =
        applier.apply(
            Optional.empty(),
            op(OpAction.PUT, Map.of("amount", 1250), 0, ts(0), "edge-a"),
            policy(Strategy.APPEND_ONLY));

    assertThat(a.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(a.changed()).isTrue();
  }

  @Test
  void apply_appendOnlyChangeOrDelete_isRejectedNamingTheRecord() {
    RecordState payment = record(Map.of("amount", 1250), ts(-100), "edge-a");
    CollectionPolicy appendOnly = policy(Strategy.APPEND_ONLY);

    for (Op op :
        new Op[] {
          op(OpAction.PUT, Map.of("amount", 99), ts(-100), ts(0), "edge-a"),
          op(OpAction.PATCH, Map.of("amount", 99), ts(-100), ts(0), "edge-a"),
          op(OpAction.DELETE, null, ts(-100), ts(0), "edge-a")
        }) {
      Application a = applier.apply(Optional.of(payment), op, appendOnly);

      assertThat(a.outcome()).as(op.action().wireName()).isEqualTo(Outcome.REJECTED);
      assertThat(a.error().code()).isEqualTo("append_only");
      assertThat(a.error().message()).contains("tables/r1").contains("reversal");
      assertThat(a.state()).contains(payment);
    }
  }

  @Test
  void apply_appendOnlyDeleteOfUnseenRecord_isRejectedSoALaterInsertIsNotBlocked() {
    CollectionPolicy appendOnly = policy(Strategy.APPEND_ONLY);

    Application delete =
        applier.apply(
            Optional.empty(), op(OpAction.DELETE, null, 0, ts(-100), "edge-a"), appendOnly);
    Application insert =
        applier.apply(
            delete.state(),
            op(OpAction.PUT, Map.of("amount", 5), 0, ts(-200), "edge-b"),
            appendOnly);

    assertThat(delete.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(delete.error().code()).isEqualTo("append_only");
    assertThat(delete.state()).isEmpty();
    assertThat(insert.outcome()).isEqualTo(Outcome.APPLIED);
  }

  @Test
  void apply_lwwDeleteOfUnseenRecord_leavesTombstone() {
    Application a =
        applier.apply(Optional.empty(), op(OpAction.DELETE, null, 0, ts(-100), "edge-a"), LWW);

    assertThat(a.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(a.state().orElseThrow().deleted()).isTrue();
  }

  @Test
  void apply_customOrdersConflictWithoutStatus_resolves() {
    // Regression: OrderResolver threw NullPointerException (List.of(..).indexOf(null)) when
    // neither side had a status, which the cloud would have answered with a 500.
    RecordState server = record(Map.of("table", 4), ts(-100), "edge-b");
    Op put = op(OpAction.PUT, Map.of("table", 7), ts(-900), ts(-50), "edge-a");

    Application a = applier.apply(Optional.of(server), put, policy(Strategy.custom("orders")));

    assertThat(a.state().orElseThrow().data()).isEqualTo(Map.of("table", 7L));
  }

  @Test
  void apply_appendOnlyIdenticalReinsert_isAppliedWithoutChange() {
    RecordState payment = record(Map.of("amount", 1250), ts(-100), "edge-a");

    Application a =
        applier.apply(
            Optional.of(payment),
            op(OpAction.PUT, Map.of("amount", 1250), 0, ts(0), "edge-a"),
            policy(Strategy.APPEND_ONLY));

    assertThat(a.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(a.changed()).isFalse();
    assertThat(a.state()).contains(payment);
  }

  @Test
  void apply_opClockBeyondSkew_isRestampedWithServerClockAndFlagged() {
    long farAhead = encode(T0 + Duration.ofMinutes(30).toMillis(), 0);
    Op put = op(OpAction.PUT, Map.of("a", 1), 0, farAhead, "edge-a");

    Application a = applier.apply(Optional.empty(), put, LWW);

    assertThat(a.skewed()).isTrue();
    assertThat(a.audited()).isTrue();
    RecordState s = a.state().orElseThrow();
    assertThat(s.version()).isLessThan(farAhead);
    assertThat(HybridLogicalClock.physical(s.version())).isEqualTo(T0);
    assertThat(s.origin()).isEqualTo("cloud");
    assertThat(clock.peek()).isLessThan(farAhead);
  }

  @Test
  void apply_skewedOpInConflict_cannotWinWithItsFutureClock() {
    wall.advance(1_000);
    RecordState server = record(Map.of("a", 1), ts(900), "edge-b");
    long farAhead = encode(T0 + Duration.ofHours(2).toMillis(), 0);
    wall.advance(-1_000);
    clock.receive(server.version());

    Application a =
        applier.apply(
            Optional.of(server), op(OpAction.PUT, Map.of("a", 2), 0, farAhead, "edge-a"), LWW);

    // Restamped with the receiver's clock, which is after every version it has seen.
    assertThat(a.skewed()).isTrue();
    assertThat(a.state().orElseThrow().version()).isGreaterThan(server.version());
    assertThat(a.state().orElseThrow().version()).isLessThan(farAhead);
  }

  @Test
  void apply_customOrdersConflict_resolvedByOrderResolverWithServerClock() {
    RecordState server = record(Map.of("status", "ready", "total", 1000), ts(-100), "cloud");
    Op put =
        op(OpAction.PUT, Map.of("status", "confirmed", "total", 1), ts(-900), ts(-50), "edge-a");

    Application a = applier.apply(Optional.of(server), put, policy(Strategy.custom("orders")));

    RecordState s = a.state().orElseThrow();
    assertThat(a.conflict()).isTrue();
    assertThat(a.outcome()).isEqualTo(Outcome.MERGED);
    assertThat(s.data()).isEqualTo(Map.of("status", "ready", "total", 1000L));
    assertThat(s.version()).isGreaterThan(ts(-50));
    assertThat(s.origin()).isEqualTo("cloud");
  }

  @Test
  void apply_unknownCustomResolverInConflict_throwsNamingIt() {
    RecordState server = record(Map.of("a", 1), ts(-100), "cloud");
    Op put = op(OpAction.PUT, Map.of("a", 2), ts(-900), ts(0), "edge-a");

    assertThatThrownBy(
            () -> applier.apply(Optional.of(server), put, policy(Strategy.custom("loyalty"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'loyalty'");
  }

  @Test
  void knowsResolver_builtIns_includeOrdersOnly() {
    assertThat(applier.knowsResolver("orders")).isTrue();
    assertThat(applier.knowsResolver("loyalty")).isFalse();
  }

  private static long ts(long offsetMillis) {
    return encode(T0 + offsetMillis, 0);
  }

  @Test
  void apply_sameVersionWrittenByAnotherNode_isAConflict() {
    long v = T0 << 16;
    RecordState server = record(Map.of("status", "cloud"), v, "edge-b");
    Op op =
        new Op(
            "op-x",
            "tables",
            "r1",
            OpAction.PUT,
            Map.of("status", "mine"),
            v,
            v + 5,
            "edge-a",
            "edge-a");
    Application a = applier.apply(Optional.of(server), op, policy(Strategy.SERVER_WINS));
    assertThat(a.conflict()).isTrue();
    assertThat(a.state().orElseThrow().data()).containsEntry("status", "cloud");
  }

  /**
   * Regression: a patch that wins a conflict yields the other writer's fields too. Had it kept the
   * writer's clock, the writer would hold other content under the same version and never learn the
   * canonical record.
   */
  @Test
  void apply_patchWinningAConflict_isStampedWithTheReceiversClock() {
    long v0 = encode(T0, 0);
    RecordState server = record(Map.of("a", 1L, "b", 2L), encode(T0 + 5, 0), "edge-b");
    Op patch =
        new Op(
            "op-p",
            "tables",
            "r1",
            OpAction.PATCH,
            Map.of("a", 3L),
            v0,
            encode(T0 + 9, 0),
            "edge-a",
            "edge-a");

    Application a = applier.apply(Optional.of(server), patch, policy(Strategy.LAST_WRITE_WINS));

    RecordState after = a.state().orElseThrow();
    assertThat(after.data()).isEqualTo(Map.of("a", 3L, "b", 2L));
    assertThat(after.version()).isNotEqualTo(patch.hlc());
    assertThat(after.origin()).isNotEqualTo("edge-a");
  }

  @Test
  void apply_putWinningAConflict_keepsTheWritersClock() {
    RecordState server = record(Map.of("a", 1L), encode(T0 + 5, 0), "edge-b");
    Op put =
        new Op(
            "op-q",
            "tables",
            "r1",
            OpAction.PUT,
            Map.of("a", 3L),
            encode(T0, 0),
            encode(T0 + 9, 0),
            "edge-a",
            "edge-a");

    Application a = applier.apply(Optional.of(server), put, policy(Strategy.LAST_WRITE_WINS));

    assertThat(a.state().orElseThrow().version()).isEqualTo(put.hlc());
  }

  private static CollectionPolicy policy(Strategy strategy) {
    return new CollectionPolicy(Priority.NORMAL, strategy);
  }

  private static RecordState record(Map<String, Object> data, long version, String origin) {
    return new RecordState("tables", "r1", data, version, origin, Map.of(), false);
  }

  private Op op(
      OpAction action, Map<String, Object> data, long baseVersion, long hlc, String nodeId) {
    return new Op("op-" + ++opCounter, "tables", "r1", action, data, baseVersion, hlc, nodeId);
  }
}
