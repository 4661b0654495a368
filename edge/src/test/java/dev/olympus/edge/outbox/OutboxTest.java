package dev.olympus.edge.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import dev.olympus.edge.store.WriteRefusedException;
import dev.olympus.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
  @TempDir Path dir;
  Database db;
  Clock clock = Clock.fixed(Instant.parse("2026-11-21T14:00:00Z"), ZoneOffset.UTC);
  HybridLogicalClock hlc;
  RecordStore store;
  Outbox outbox;

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    hlc = new HybridLogicalClock(clock, Duration.ofMinutes(5));
    store = storeWith(new OpIds(clock, new Random(1)));
    outbox = new Outbox(db.jdbi(), clock);
  }

  RecordStore storeWith(OpIds ids) {
    return new RecordStore(db.jdbi(), hlc, "edge-1", clock, ids, SyncConfig::defaults, () -> {});
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void put_newRecord_commitsRecordAndOutboxOpTogether() {
    RecordStore.WriteResult w =
        store.put("orders", "o1", Map.of("status", "pending"), OptionalLong.empty());

    assertThat(w.created()).isTrue();
    List<OutboxEntry> queued = outbox.nextBatch(Outbox.Cursor.START, 10);
    assertThat(queued).hasSize(1);
    OutboxEntry op = queued.get(0);
    assertThat(op.action()).isEqualTo(OpAction.PUT);
    assertThat(op.baseVersion()).isZero();
    assertThat(op.hlc()).isEqualTo(w.record().version());
    assertThat(op.priority()).isEqualTo(1); // orders: high
    assertThat(op.dataJson()).isEqualTo("{\"status\":\"pending\"}");
    assertThat(store.find("orders", "o1").orElseThrow().data()).containsEntry("status", "pending");
  }

  @Test
  void complete_appliedAsWrittenWithoutRecord_removesTheEntryAndKeepsTheLocalRecord() {
    store.put("orders", "o1", Map.of("status", "pending"), OptionalLong.empty());
    List<OutboxEntry> batch = outbox.nextBatch(Outbox.Cursor.START, 10);

    Outbox.Completion done =
        outbox.complete(
            batch,
            List.of(new OpResult(batch.get(0).opId(), Outcome.APPLIED, 1L, null, null, null)));

    assertThat(done.done()).isEqualTo(1);
    assertThat(done.recordsUpdated()).isZero();
    assertThat(outbox.size()).isZero();
    LocalRecord kept = store.find("orders", "o1").orElseThrow();
    assertThat(kept.version()).isEqualTo(batch.get(0).hlc());
    assertThat(kept.data()).containsEntry("status", "pending");
  }

  @Test
  void put_chainOfOfflineEdits_eachOpIsBasedOnThePreviousLocalVersion() {
    long v1 =
        store.put("tables", "t1", Map.of("seats", 4), OptionalLong.empty()).record().version();
    long v2 =
        store.patch("tables", "t1", Map.of("seats", 6), OptionalLong.empty()).record().version();
    store.delete("tables", "t1", OptionalLong.empty());

    List<OutboxEntry> ops = outbox.nextBatch(Outbox.Cursor.START, 10);
    assertThat(ops).extracting(OutboxEntry::baseVersion).containsExactly(0L, v1, v2);
    assertThat(ops)
        .extracting(OutboxEntry::action)
        .containsExactly(OpAction.PUT, OpAction.PATCH, OpAction.DELETE);
    assertThat(v2).isGreaterThan(v1);
    assertThat(store.find("tables", "t1").orElseThrow().deleted()).isTrue();
  }

  @Test
  void put_whenTheOutboxInsertFails_theRecordIsNotWrittenEither() {
    // A random source that always gives the same bits, on a fixed clock: the same op id twice.
    Random stuck =
        new Random() {
          @Override
          public int nextInt() {
            return 7;
          }

          @Override
          public long nextLong() {
            return 7;
          }
        };
    RecordStore sameIds = storeWith(new OpIds(clock, stuck));
    sameIds.put("orders", "o1", Map.of("n", 1), OptionalLong.empty());

    assertThatThrownBy(() -> sameIds.put("orders", "o2", Map.of("n", 2), OptionalLong.empty()))
        .hasMessageContaining("UNIQUE");

    assertThat(store.find("orders", "o2")).isEmpty();
    assertThat(outbox.size()).isEqualTo(1);
  }

  @Test
  void nextBatch_mixedPriorities_comesCriticalHighNormalLowThenInWriteOrder() {
    store.put("menu_items", "m1", Map.of("n", 1), OptionalLong.empty()); // low
    store.put("tables", "t1", Map.of("n", 1), OptionalLong.empty()); // normal
    store.put("orders", "o1", Map.of("n", 1), OptionalLong.empty()); // high
    store.put("payments", "p1", Map.of("n", 1), OptionalLong.empty()); // critical
    store.put("orders", "o2", Map.of("n", 1), OptionalLong.empty()); // high
    store.put("payments", "p2", Map.of("n", 1), OptionalLong.empty()); // critical

    List<String> order = new ArrayList<>();
    Outbox.Cursor cursor = Outbox.Cursor.START;
    List<OutboxEntry> batch;
    while (!(batch = outbox.nextBatch(cursor, 4)).isEmpty()) {
      batch.forEach(e -> order.add(e.recordId()));
      cursor = Outbox.Cursor.after(batch.get(batch.size() - 1));
    }

    assertThat(order).containsExactly("p1", "p2", "o1", "o2", "t1", "m1");
  }

  @Test
  void complete_rejectedOp_staysQueuedWithOneMoreAttemptAndTheOthersLeave() {
    store.put("orders", "o1", Map.of("n", 1), OptionalLong.empty());
    store.put("orders", "o2", Map.of("n", 2), OptionalLong.empty());
    store.put("orders", "o3", Map.of("n", 3), OptionalLong.empty());
    List<OutboxEntry> batch = outbox.nextBatch(Outbox.Cursor.START, 10);

    Outbox.Completion c =
        outbox.complete(
            batch,
            List.of(
                applied(batch.get(0)),
                OpResult.rejected(
                    batch.get(1).opId(), new ApiError("invalid_field", "bad total", "total")),
                applied(batch.get(2))));

    assertThat(c.done()).isEqualTo(2);
    assertThat(c.rejected()).isEqualTo(1);
    List<OutboxEntry> left = outbox.nextBatch(Outbox.Cursor.START, 10);
    assertThat(left).extracting(OutboxEntry::recordId).containsExactly("o2");
    assertThat(left.get(0).attempts()).isEqualTo(1);
  }

  @Test
  void complete_queuedForReview_movesTheOpToDeadLetters() {
    store.put("orders", "o1", Map.of("n", 1), OptionalLong.empty());
    List<OutboxEntry> batch = outbox.nextBatch(Outbox.Cursor.START, 10);
    OpResult review =
        new OpResult(
            batch.get(0).opId(),
            Outcome.REJECTED,
            null,
            null,
            new ApiError("invalid_field", "bad", "total"),
            true);

    Outbox.Completion c = outbox.complete(batch, List.of(review));

    assertThat(c.toReview()).isEqualTo(1);
    assertThat(outbox.size()).isZero();
    assertThat(outbox.snapshot().deadLetters()).isEqualTo(1);
  }

  @Test
  void complete_mergedAnswer_replacesTheLocalRecordUnlessANewerLocalWriteIsQueued() {
    store.put("orders", "o1", Map.of("status", "ready"), OptionalLong.empty());
    store.put("orders", "o2", Map.of("status", "ready"), OptionalLong.empty());
    List<OutboxEntry> first = outbox.nextBatch(Outbox.Cursor.START, 10);
    // A newer local edit of o2 arrives while the first batch is in flight.
    store.patch("orders", "o2", Map.of("note", "no onions"), OptionalLong.empty());

    outbox.complete(
        first,
        List.of(
            merged(first.get(0), Map.of("status", "completed")),
            merged(first.get(1), Map.of("status", "completed"))));

    LocalRecord o1 = store.find("orders", "o1").orElseThrow();
    assertThat(o1.data()).containsEntry("status", "completed");
    assertThat(o1.origin()).isEqualTo("cloud");
    assertThat(o1.serverVersion()).isEqualTo(o1.version());
    LocalRecord o2 = store.find("orders", "o2").orElseThrow();
    assertThat(o2.data()).containsEntry("status", "ready").containsEntry("note", "no onions");
    assertThat(outbox.size()).isEqualTo(1);
  }

  @Test
  void complete_answersForOtherOps_areRefusedAndNothingChanges() {
    store.put("orders", "o1", Map.of("n", 1), OptionalLong.empty());
    List<OutboxEntry> batch = outbox.nextBatch(Outbox.Cursor.START, 10);
    OpResult stray = new OpResult("not-this-op", Outcome.APPLIED, 1L, null, null, null);

    assertThatThrownBy(() -> outbox.complete(batch, List.of(stray)))
        .hasMessageContaining("not-this-op");
    assertThat(outbox.size()).isEqualTo(1);
  }

  @Test
  void put_existingAppendOnlyRecord_isRefusedWith409ButTheSameInsertIsAccepted() {
    store.put("payments", "p1", Map.of("amount", 1250), OptionalLong.empty());

    RecordStore.WriteResult again =
        store.put("payments", "p1", Map.of("amount", 1250), OptionalLong.empty());
    assertThat(again.created()).isFalse();
    assertThatThrownBy(() -> store.put("payments", "p1", Map.of("amount", 1), OptionalLong.empty()))
        .isInstanceOfSatisfying(
            WriteRefusedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.error().code()).isEqualTo("append_only");
            });
    assertThatThrownBy(() -> store.delete("payments", "p1", OptionalLong.empty()))
        .isInstanceOf(WriteRefusedException.class);
    assertThat(outbox.size()).isEqualTo(1);
  }

  @Test
  void put_staleIfMatch_isRefusedWithConflict() {
    long v = store.put("tables", "t1", Map.of("n", 1), OptionalLong.empty()).record().version();
    store.put("tables", "t1", Map.of("n", 2), OptionalLong.of(v));

    assertThatThrownBy(() -> store.put("tables", "t1", Map.of("n", 3), OptionalLong.of(v)))
        .isInstanceOfSatisfying(
            WriteRefusedException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  private static OpResult applied(OutboxEntry e) {
    return new OpResult(
        e.opId(),
        Outcome.APPLIED,
        e.seq(),
        new RecordState(
            e.collection(), e.recordId(), Map.of("n", 1), e.hlc(), "edge-1", Map.of(), false),
        null,
        null);
  }

  private static OpResult merged(OutboxEntry e, Map<String, Object> data) {
    return new OpResult(
        e.opId(),
        Outcome.MERGED,
        e.seq(),
        new RecordState(e.collection(), e.recordId(), data, e.hlc() + 5, "cloud", Map.of(), false),
        null,
        null);
  }
}
