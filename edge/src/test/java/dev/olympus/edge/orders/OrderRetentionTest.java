package dev.olympus.edge.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.outbox.OutboxEntry;
import dev.olympus.edge.store.RecordStore;
import dev.olympus.edge.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning of old synced orders, on a clock the test moves. */
class OrderRetentionTest {
  static final Instant T0 = Instant.parse("2026-09-01T12:00:00Z");

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(T0);
  EdgeServer edge;
  RecordStore records;

  @BeforeEach
  void start() {
    edge =
        EdgeServer.start(
            TestEdges.settings(dir, TestEdges.DEAD_CLOUD, TestEdges.API_KEY, "loc-1")
                .withClock(clock));
    records = edge.records();
  }

  @AfterEach
  void stop() {
    edge.close();
  }

  /** The cloud applied every queued op of these records: they are synced. */
  void synced(String... collectionSlashIds) {
    List<String> keys = List.of(collectionSlashIds);
    for (OutboxEntry e : edge.outbox().nextBatch(Outbox.Cursor.START, 10_000)) {
      if (keys.contains(e.collection() + "/" + e.recordId())) {
        // One op per batch: a batch's answers remove its (priority, seq) range.
        edge.outbox()
            .complete(
                List.of(e), List.of(new OpResult(e.opId(), Outcome.APPLIED, 1L, null, null, null)));
      }
    }
  }

  void order(String id) {
    records.put(
        "orders", id, Map.of("status", "completed", "total", "10.00"), OptionalLong.empty());
  }

  void payment(String id, String orderId) {
    records.put(
        "payments", id, Map.of("order_id", orderId, "amount", "10.00"), OptionalLong.empty());
  }

  @Test
  void prune_oldSyncedOldUnsyncedAndRecent_removesOnlyOldSyncedWithTheirPayments() {
    order("old-synced");
    payment("pay-1", "old-synced");
    records.put(
        "payment_settlements",
        "pay-1",
        Map.of("order_id", "old-synced", "status", "settled"),
        OptionalLong.empty());
    order("old-unsynced");
    order("old-unsynced-payment");
    payment("pay-2", "old-unsynced-payment");
    synced("orders/old-synced", "payments/pay-1", "payment_settlements/pay-1");
    synced("orders/old-unsynced-payment");
    clock.advance(Duration.ofDays(29));
    order("recent-synced");
    synced("orders/recent-synced");
    clock.advance(Duration.ofDays(2));
    long queued = edge.outbox().size();
    long streamHead = records.latestLanSeq();

    OrderRetention.Run run = edge.orderRetention().prune();

    assertThat(run.pruned()).isEqualTo(new RecordStore.Pruned(1, 2, 1));
    assertThat(records.find("orders", "old-synced")).isEmpty();
    assertThat(records.find("payments", "pay-1")).isEmpty();
    assertThat(records.find("payment_settlements", "pay-1")).isEmpty();
    assertThat(records.find("orders", "old-unsynced")).isPresent();
    assertThat(records.find("orders", "old-unsynced-payment")).isPresent();
    assertThat(records.find("payments", "pay-2")).isPresent();
    assertThat(records.find("orders", "recent-synced")).isPresent();
    assertThat(edge.outbox().size())
        .as("nothing pushed: no op for a pruned record")
        .isEqualTo(queued);
    assertThat(records.latestLanSeq()).as("no change frame for terminals").isEqualTo(streamHead);
    assertThat(records.changesSince(streamHead, 100)).isEmpty();
  }

  @Test
  void prune_orderWithAPendingCardSettlementOrARememberedKey_isKept() {
    order("old-card");
    records.put(
        "orders", "old-keyed", Map.of("status", "completed"), OptionalLong.empty(), "key-1");
    synced("orders/old-card", "orders/old-keyed");
    edge.records()
        .inTransaction(
            tx ->
                tx.handle()
                    .execute(
                        "INSERT INTO card_settlements (payment_id, order_id, amount_minor,"
                            + " currency, payment_method, idempotency_key, created_at)"
                            + " VALUES ('pay-c', 'old-card', 1000, 'usd', 'pm_1', 'k-c', 0)"));
    clock.advance(Duration.ofDays(31));

    OrderRetention.Run run = edge.orderRetention().prune();

    assertThat(run.pruned().orders()).isZero();
    assertThat(records.find("orders", "old-card")).isPresent();
    assertThat(records.find("orders", "old-keyed")).isPresent();
  }

  @Test
  void prune_manyOldSyncedOrders_removesThemInChunksAndCompactsTheDatabase() {
    Map<String, Map<String, Object>> orders = new LinkedHashMap<>();
    Map<String, Map<String, Object>> payments = new LinkedHashMap<>();
    String filler = "x".repeat(2_000);
    for (int i = 0; i < 1_200; i++) {
      orders.put("o-" + i, Map.of("status", "completed", "note", filler));
      payments.put("p-" + i, Map.of("order_id", "o-" + i, "amount", "1.00"));
    }
    records.putAll("orders", orders);
    records.putAll("payments", payments);
    List<OutboxEntry> all = edge.outbox().nextBatch(Outbox.Cursor.START, 10_000);
    edge.outbox()
        .complete(
            all,
            all.stream()
                .map(e -> new OpResult(e.opId(), Outcome.APPLIED, 1L, null, null, null))
                .toList());
    clock.advance(Duration.ofDays(31));

    OrderRetention.Run first = edge.orderRetention().prune();
    order("later");
    synced("orders/later");
    clock.advance(Duration.ofDays(31));
    OrderRetention.Run second = edge.orderRetention().prune();

    assertThat(first.pruned()).isEqualTo(new RecordStore.Pruned(1_200, 1_200, 0));
    assertThat(first.compaction()).startsWith("VACUUM");
    assertThat(second.pruned().orders()).isEqualTo(1);
    assertThat(second.compaction()).isEqualTo("incremental_vacuum");
    assertThat(records.countLive("orders")).isZero();
  }
}
