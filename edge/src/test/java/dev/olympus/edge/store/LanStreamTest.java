package dev.olympus.edge.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.outbox.OpIds;
import dev.olympus.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's own change stream: every change to a record is numbered and named once. */
class LanStreamTest {
  @TempDir Path dir;
  Database db;
  Clock clock = Clock.fixed(Instant.parse("2026-11-21T14:00:00Z"), ZoneOffset.UTC);
  RecordStore store;

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    store =
        new RecordStore(
            db.jdbi(),
            new HybridLogicalClock(clock, Duration.ofMinutes(5)),
            "edge-1",
            clock,
            new OpIds(clock, new Random(1)),
            SyncConfig::defaults,
            () -> {});
  }

  @AfterEach
  void close() {
    db.close();
  }

  static RecordState canonical(String collection, String id, Map<String, Object> data, long v) {
    return new RecordState(collection, id, data, v, "cloud", Map.of(), false);
  }

  @Test
  void localWrites_eachChange_getsTheNextLanSeqAndItsAction() {
    store.put("orders", "o1", Map.of("status", "pending"), OptionalLong.empty());
    assertThat(store.changesSince(0, 10))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.seq()).isEqualTo(1);
              assertThat(c.kind().type()).isEqualTo("order_update");
              assertThat(c.kind().action()).isEqualTo("created");
            });

    store.patch("orders", "o1", Map.of("status", "ready"), OptionalLong.empty());
    assertThat(store.changesSince(0, 10))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.seq()).isEqualTo(2);
              assertThat(c.kind().action()).isEqualTo("status_changed");
              assertThat(c.record().data()).containsEntry("status", "ready");
            });

    store.put("tables", "t1", Map.of("status", "occupied"), OptionalLong.empty());
    store.delete("orders", "o1", OptionalLong.empty());

    List<LanChange> all = store.changesSince(0, 10);
    assertThat(all).extracting(LanChange::seq).containsExactly(3L, 4L);
    assertThat(all.get(0).kind().action()).isEqualTo("occupied");
    assertThat(all.get(1).kind().action()).isEqualTo("deleted");
    assertThat(all.get(1).record().deleted()).isTrue();
    assertThat(store.latestLanSeq()).isEqualTo(4);
    assertThat(store.changesSince(3, 10)).extracting(LanChange::seq).containsExactly(4L);
  }

  @Test
  void localWrite_refusedOrUnchanged_takesNoLanSeq() {
    store.put("payments", "p1", Map.of("amount", 5), OptionalLong.empty());
    // The same append-only insert re-sent writes nothing.
    store.put("payments", "p1", Map.of("amount", 5), OptionalLong.empty());
    try {
      store.patch("orders", "absent", Map.of("a", 1), OptionalLong.empty());
    } catch (WriteRefusedException expected) {
      // 404
    }
    assertThat(store.latestLanSeq()).isEqualTo(1);
  }

  @Test
  void applyCanonical_newAndChangedRecords_areNumberedAndNamedAgainstWhatTheEdgeHeld() {
    store.put("menu_items", "m1", Map.of("name", "Dal", "available", true), OptionalLong.empty());
    // Nothing queued for m1 once its op is answered; simulate that by clearing the outbox.
    db.jdbi().useHandle(h -> h.execute("DELETE FROM outbox"));
    long before = store.latestLanSeq();

    db.jdbi()
        .useTransaction(
            h ->
                RecordStore.applyCanonical(
                    h,
                    List.of(
                        canonical("menu_items", "m1", Map.of("name", "Dal", "available", false), 9),
                        canonical("printers", "pr1", Map.of("station", "bar"), 10))));

    List<LanChange> changes = store.changesSince(before, 10);
    assertThat(changes).extracting(LanChange::seq).containsExactly(before + 1, before + 2);
    assertThat(changes.get(0).kind().action()).isEqualTo("availability_changed");
    assertThat(changes.get(0).record().version()).isEqualTo(9);
    assertThat(changes.get(1).kind().action()).isEqualTo("added");

    // The same states again change nothing and take no number.
    db.jdbi()
        .useTransaction(
            h ->
                RecordStore.applyCanonical(
                    h,
                    List.of(
                        canonical("menu_items", "m1", Map.of("name", "Dal", "available", false), 9),
                        canonical("printers", "pr1", Map.of("station", "bar"), 10))));
    assertThat(store.latestLanSeq()).isEqualTo(before + 2);
  }

  @Test
  void applyCanonical_afterCommit_signalsListenersOnceAndNotOnRollback() {
    AtomicInteger signals = new AtomicInteger();
    ChangeSignal.of(db.jdbi()).listen(signals::incrementAndGet);

    db.jdbi()
        .useTransaction(
            h -> RecordStore.applyCanonical(h, List.of(canonical("orders", "o9", Map.of(), 5))));
    assertThat(signals).hasValue(1);

    try {
      db.jdbi()
          .useTransaction(
              h -> {
                RecordStore.applyCanonical(h, List.of(canonical("orders", "o10", Map.of(), 6)));
                throw new IllegalStateException("roll back");
              });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    assertThat(signals).hasValue(1);
    assertThat(store.find("orders", "o10")).isEmpty();

    store.put("orders", "o11", Map.of(), OptionalLong.empty());
    assertThat(signals).hasValue(2);
  }

  @Test
  void changesSince_leavesOutReservedCollectionsAndPagesByLimit() {
    for (int i = 0; i < 5; i++) {
      store.put("orders", "o" + i, Map.of("n", i), OptionalLong.empty());
    }
    db.jdbi()
        .useTransaction(
            h ->
                RecordStore.applyCanonical(
                    h, List.of(canonical("_internal", "x", Map.of("secret", 1), 3))));

    assertThat(store.changesSince(0, 3)).extracting(LanChange::seq).containsExactly(1L, 2L, 3L);
    assertThat(store.changesSince(3, 100))
        .extracting(c -> c.record().collection())
        .containsOnly("orders")
        .hasSize(2);
  }
}
