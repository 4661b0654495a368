package dev.olympus.edge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.outbox.OpIds;
import dev.olympus.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terminal writes arriving together share a commit: each is still answered only once committed, a
 * refused one rolls back alone, and the change stream and the outbox hold each accepted write
 * exactly once.
 */
class LanWriteCommitTest {
  @TempDir Path dir;
  Database db;
  RecordStore store;

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    Clock clock = Clock.systemUTC();
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

  @Test
  void concurrentWrites_refusalsRollBackAlone_everyAcceptedWriteOnceInStreamAndOutbox()
      throws Exception {
    int threads = 16;
    int perThread = 40;
    store.put("tables", "shared", Map.of("status", "available"), OptionalLong.empty());
    ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    String id = "o-" + thread + "-" + i;
                    if (i % 4 == 3) {
                      // A stale If-Match: refused, and must leave no trace.
                      try {
                        store.patch("orders", id + "-missing", Map.of("x", 1), OptionalLong.of(7));
                        accepted.add("unexpected " + id);
                      } catch (WriteRefusedException e) {
                        refused.add(id);
                      }
                    } else {
                      store.put(
                          "orders",
                          id,
                          Map.of("n", i),
                          OptionalLong.empty(),
                          "key-" + thread + "-" + i);
                      accepted.add(id);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }

    assertThat(accepted).doesNotContainSequence("unexpected");
    assertThat(refused).hasSize(threads * perThread / 4);
    int writes = accepted.size() + 1;
    List<LanChange> stream = store.changesSince(0, 10_000);
    assertThat(stream).hasSize(writes);
    assertThat(stream).extracting(LanChange::seq).doesNotHaveDuplicates();
    assertThat(store.latestLanSeq()).isEqualTo(writes);
    long outbox =
        db.jdbi()
            .withHandle(h -> h.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one());
    assertThat(outbox).isEqualTo(writes);
    for (String id : accepted) {
      assertThat(store.find("orders", id)).isPresent();
    }
    for (String id : refused) {
      assertThat(store.find("orders", id + "-missing")).isEmpty();
    }
  }

  @Test
  void aRepeatedKey_isAnsweredOnce_evenWhenBothCopiesArriveTogether() throws Exception {
    List<Future<RecordStore.WriteResult>> copies = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 8; i++) {
        copies.add(
            pool.submit(
                () -> store.put("orders", "o-1", Map.of("n", 1), OptionalLong.empty(), "k-1")));
      }
    }
    int firsts = 0;
    for (Future<RecordStore.WriteResult> c : copies) {
      if (!c.get().repeated()) {
        firsts++;
      }
    }
    assertThat(firsts).isEqualTo(1);
    assertThat(store.changesSince(0, 10)).hasSize(1);
    assertThatThrownBy(
            () -> store.put("orders", "o-2", Map.of("n", 1), OptionalLong.empty(), "k-1"))
        .isInstanceOf(WriteRefusedException.class);
  }
}
