package dev.olympus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritesTest {
  @TempDir Path dir;

  @Test
  void put_offlineThenClientRestarted_queuePersistedAndFlushedOnceInOrder() throws Exception {
    TestChangeLog log = new TestChangeLog();
    int port = TestClients.freePort();
    String base = "http://127.0.0.1:" + port;
    try (OlympusClient client = TestClients.fast(dir, base).build()) {
      client.start();
      for (int i = 0; i < 20; i++) {
        client.put("orders", "o" + i, Map.of("n", i));
      }
      assertThat(client.pendingWrites()).isEqualTo(20);
    }
    try (OlympusClient client = TestClients.fast(dir, base).build()) {
      assertThat(client.pendingWrites()).as("loaded from disk").isEqualTo(20);
      try (RealtimeTestServer server =
          new RealtimeTestServer(log, "edge:e1", "edge", 500).start(port)) {
        client.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.pendingWrites() == 0);
      }
    }

    assertThat(log.appliedCounts()).hasSize(20).allSatisfy((op, n) -> assertThat(n).isEqualTo(1));
    assertThat(log.entries())
        .extracting(TestChangeLog.Entry::id)
        .containsExactly(
            "o0", "o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9", "o10", "o11", "o12", "o13",
            "o14", "o15", "o16", "o17", "o18", "o19");
    assertThat(Files.size(dir.resolve("offline-queue.jsonl"))).as("compacted").isZero();
  }

  @Test
  void offlineQueue_plugged_holdsTheWritesWhileOfflineAndIsFlushedInOrder() throws Exception {
    // A queue of the application's own (an Android app would put one on Room or SQLite).
    class InMemoryQueue implements OfflineQueue {
      final java.util.LinkedHashMap<String, PendingWrite> writes = new java.util.LinkedHashMap<>();
      final java.util.List<String> appended = new java.util.ArrayList<>();
      boolean closed;

      @Override
      public synchronized void append(PendingWrite write) {
        writes.put(write.opId(), write);
        appended.add(write.opId());
      }

      @Override
      public synchronized java.util.Optional<PendingWrite> peek() {
        return writes.values().stream().findFirst();
      }

      @Override
      public synchronized void remove(String opId) {
        writes.remove(opId);
      }

      @Override
      public synchronized int size() {
        return writes.size();
      }

      @Override
      public void close() {
        closed = true;
      }
    }
    InMemoryQueue queue = new InMemoryQueue();
    TestChangeLog log = new TestChangeLog();
    int port = TestClients.freePort();
    try (OlympusClient client =
        TestClients.fast(dir, "http://127.0.0.1:" + port).offlineQueue(queue).build()) {
      client.start();
      for (int i = 0; i < 5; i++) {
        client.put("orders", "q" + i, Map.of("n", i));
      }
      assertThat(client.pendingWrites()).isEqualTo(5);
      await().atMost(Duration.ofSeconds(5)).until(() -> queue.size() == 5);
      try (RealtimeTestServer server =
          new RealtimeTestServer(log, "edge:e1", "edge", 500).start(port)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.size() == 0);
      }
    }
    assertThat(queue.closed).as("the client closes the queue it was given").isTrue();
    assertThat(queue.appended).hasSize(5);
    assertThat(log.entries())
        .extracting(TestChangeLog.Entry::id)
        .containsExactly("q0", "q1", "q2", "q3", "q4");
    assertThat(dir.resolve("offline-queue.jsonl"))
        .as("the default queue is not used")
        .doesNotExist();
  }

  @Test
  void put_answerLost_retriedWithTheSameOpIdAndAppliedOnce() throws Exception {
    TestChangeLog log = new TestChangeLog();
    try (RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0);
        OlympusClient client = TestClients.fast(dir, server.baseUrl()).build()) {
      client.start();
      await().until(() -> client.connectionStatus().state() == ConnectionState.CONNECTED);
      server.loseNextResponses(2);
      WriteResult r = client.put("orders", "o1", Map.of("total", 12.5)).get(10, TimeUnit.SECONDS);

      assertThat(r.httpStatus()).isEqualTo(201);
      assertThat(log.appliedCounts()).containsExactly(Map.entry(r.write().opId(), 1));
      assertThat(log.entries()).hasSize(1);
      assertThat(client.pendingWrites()).isZero();
    }
  }

  @Test
  void patch_recordMissing_reportedDroppedAndLaterWritesGoOn() throws Exception {
    TestChangeLog log = new TestChangeLog();
    try (RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0);
        OlympusClient client = TestClients.fast(dir, server.baseUrl()).build()) {
      List<WriteFailure> failures = Collections.synchronizedList(new ArrayList<>());
      client.onWriteFailure(failures::add);
      CompletableFuture<WriteResult> bad = client.patch("orders", "ghost", Map.of("status", "x"));
      CompletableFuture<WriteResult> good = client.put("orders", "o1", Map.of("n", 1));
      client.start();

      assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(WriteRejectedException.class)
          .hasMessageContaining("404")
          .hasMessageContaining("fix the input");
      assertThat(good.get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(201);
      assertThat(failures)
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.httpStatus()).isEqualTo(404);
                assertThat(f.error()).isEqualTo("not_found");
                assertThat(f.write().id()).isEqualTo("ghost");
              });
      assertThat(client.pendingWrites()).isZero();
    }
  }

  @Test
  void broadcastOrderUpdate_twoTerminals_otherTerminalReceivesTypedUpdates() throws Exception {
    TestChangeLog log = new TestChangeLog();
    try (RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0);
        OlympusClient a = TestClients.fast(dir.resolve("a"), server.baseUrl()).build();
        OlympusClient b =
            TestClients.fast(dir.resolve("b"), server.baseUrl()).deviceId("kds-1").build()) {
      List<Change> orders = Collections.synchronizedList(new ArrayList<>());
      List<Change> tables = Collections.synchronizedList(new ArrayList<>());
      b.orderUpdates(orders::add);
      b.tableUpdates(tables::add);
      a.start();
      b.start();
      a.broadcastOrderUpdate("order-1", "created", Map.of("status", "pending", "total", 25.5));
      a.broadcastOrderUpdate("order-1", "status_changed", Map.of("status", "preparing"));
      a.updateTableStatus("t-4", "occupied").exceptionally(e -> null);
      a.put("tables", "t-5", Map.of("status", "available"));
      a.updateTableStatus("t-5", "cleaning");
      await().atMost(Duration.ofSeconds(10)).until(() -> orders.size() == 2 && tables.size() == 2);

      assertThat(orders).extracting(Change::action).containsExactly("created", "status_changed");
      assertThat(orders.get(1).data())
          .containsEntry("status", "preparing")
          .containsEntry("total", 25.5);
      assertThat(tables).extracting(Change::action).containsExactly("created", "cleaning");
    }
  }
}
