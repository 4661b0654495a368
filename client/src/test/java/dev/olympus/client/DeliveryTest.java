package dev.olympus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryTest {
  @TempDir Path dir;

  @Test
  void changes_serverRestartedMidStream_deliveredOnceInOrder() throws Exception {
    TestChangeLog log = new TestChangeLog();
    RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0);
    int port = server.port();
    List<Change> got = Collections.synchronizedList(new ArrayList<>());
    try (OlympusClient client = TestClients.fast(dir, server.baseUrl()).build()) {
      client.allChanges(got::add);
      client.start();
      Thread writer =
          start(
              () -> {
                for (int i = 1; i <= 2_000; i++) {
                  TestClients.order(log, "o" + i, i);
                  if (i % 10 == 0) { // another restaurant's change: r1's seqs skip numbers
                    log.write("r2", "orders", "x" + i, Map.of(), false, "test", "created");
                  }
                  if (i % 50 == 0) {
                    sleep(5);
                  }
                }
              });
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() >= 600);
      server.stop();
      sleep(150);
      server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(port);
      writer.join();
      await().atMost(Duration.ofSeconds(15)).until(() -> got.size() >= 2_000);
      sleep(100);

      assertThat(got).hasSize(2_000);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).id()).isEqualTo("o" + (i + 1));
      }
      assertThat(got).extracting(Change::seq).isSorted().doesNotHaveDuplicates();
      assertThat(server.connections()).isGreaterThanOrEqualTo(1);
    } finally {
      server.stop();
    }
  }

  @Test
  void changes_frameLostInTransit_clientResumesAndDeliversAll() throws Exception {
    TestChangeLog log = new TestChangeLog();
    try (RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0);
        OlympusClient client = TestClients.fast(dir, server.baseUrl()).build()) {
      List<Change> got = Collections.synchronizedList(new ArrayList<>());
      client.orderUpdates(got::add);
      client.start();
      for (int i = 1; i <= 5; i++) {
        TestClients.order(log, "o" + i, i);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 5);
      server.loseNextFrames(2);
      for (int i = 6; i <= 10; i++) {
        TestClients.order(log, "o" + i, i);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> got.size() >= 10);
      sleep(100);

      assertThat(got)
          .extracting(Change::id)
          .containsExactly("o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9", "o10");
      assertThat(server.connections()).as("recovered by resume, not by reconnecting").isEqualTo(1);
    }
  }

  @Test
  void listener_throws_otherListenersAndLaterChangesStillDelivered() throws Exception {
    TestChangeLog log = new TestChangeLog();
    try (RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0);
        OlympusClient client = TestClients.fast(dir, server.baseUrl()).build()) {
      List<Change> orders = Collections.synchronizedList(new ArrayList<>());
      List<Change> tables = Collections.synchronizedList(new ArrayList<>());
      client.allChanges(
          c -> {
            throw new IllegalStateException("a buggy listener");
          });
      client.orderUpdates(
          c -> {
            orders.add(c);
            throw new IllegalStateException("another buggy listener");
          });
      client.tableUpdates(tables::add);
      client.start();
      for (int i = 1; i <= 10; i++) {
        TestClients.order(log, "o" + i, i);
        log.write("r1", "tables", "t" + i, Map.of("status", "occupied"), false, "x", "occupied");
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> tables.size() == 10 && orders.size() == 10);

      assertThat(tables).extracting(Change::type).containsOnly("table_update");
      assertThat(tables.get(0).action()).isEqualTo("occupied");
      assertThat(tables.get(0).data()).containsEntry("status", "occupied");
      assertThat(orders).extracting(Change::dataType).containsOnly(DataType.ORDERS);
    }
  }

  @Test
  void typedListeners_eachHearsItsOwnDataTypeOnly() throws Exception {
    TestChangeLog log = new TestChangeLog();
    try (RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0);
        OlympusClient client = TestClients.fast(dir, server.baseUrl()).build()) {
      Map<String, List<Change>> heard = new java.util.concurrent.ConcurrentHashMap<>();
      java.util.function.Function<String, ChangeListener> into =
          name ->
              c ->
                  heard
                      .computeIfAbsent(name, n -> Collections.synchronizedList(new ArrayList<>()))
                      .add(c);
      client.orderUpdates(into.apply("orders"));
      client.menuUpdates(into.apply("menu"));
      client.inventoryUpdates(into.apply("inventory"));
      client.tableUpdates(into.apply("tables"));
      client.userUpdates(into.apply("users"));
      client.printerUpdates(into.apply("printers"));
      client.kitchenUpdates(into.apply("kitchen"));
      client.start();
      log.write("r1", "orders", "o1", Map.of("status", "pending"), false, "x", "created");
      log.write("r1", "menu_items", "m1", Map.of("available", false), false, "x", "updated");
      log.write("r1", "inventory_items", "i1", Map.of("on_hand", 3), false, "x", "stock_changed");
      log.write("r1", "tables", "t1", Map.of("status", "cleaning"), false, "x", "cleaning");
      log.write("r1", "users", "u1", Map.of("role", "manager"), false, "x", "role_changed");
      log.write("r1", "printers", "p1", Map.of(), true, "x", "removed");
      log.write("r1", "kitchen_tickets", "k1", Map.of("order_id", "o1"), false, "x", "fired");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> heard.values().stream().mapToInt(List::size).sum() == 7);

      Map<String, String> idByListener = new java.util.TreeMap<>();
      heard.forEach((name, changes) -> idByListener.put(name, changes.get(0).id()));
      assertThat(idByListener)
          .containsExactlyEntriesOf(
              new java.util.TreeMap<>(
                  Map.of(
                      "inventory", "i1",
                      "kitchen", "k1",
                      "menu", "m1",
                      "orders", "o1",
                      "printers", "p1",
                      "tables", "t1",
                      "users", "u1")));
      assertThat(heard.get("users").get(0).action()).isEqualTo("role_changed");
      assertThat(heard.get("printers").get(0).action()).isEqualTo("removed");
      assertThat(heard.values()).allSatisfy(changes -> assertThat(changes).hasSize(1));
    }
  }

  @Test
  void start_clientRestartedWithSameState_deliversOnlyNewChanges() throws Exception {
    TestChangeLog log = new TestChangeLog();
    try (RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0)) {
      List<Change> first = Collections.synchronizedList(new ArrayList<>());
      try (OlympusClient client = TestClients.fast(dir, server.baseUrl()).build()) {
        client.allChanges(first::add);
        client.start();
        for (int i = 1; i <= 10; i++) {
          TestClients.order(log, "o" + i, i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> first.size() == 10);
      }
      for (int i = 11; i <= 15; i++) {
        TestClients.order(log, "o" + i, i);
      }
      List<Change> second = Collections.synchronizedList(new ArrayList<>());
      try (OlympusClient client = TestClients.fast(dir, server.baseUrl()).build()) {
        client.allChanges(second::add);
        client.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> second.size() >= 5);
        sleep(100);
        assertThat(client.cursors()).containsEntry("edge:e1", 15L);
      }
      assertThat(second).extracting(Change::id).containsExactly("o11", "o12", "o13", "o14", "o15");
    }
  }

  @Test
  void connection_serverGoesSilent_clientDeclaresItDeadAndReconnects() throws Exception {
    TestChangeLog log = new TestChangeLog();
    try (RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 100).start(0);
        OlympusClient client =
            TestClients.fast(dir, server.baseUrl())
                .heartbeatInterval(Duration.ofMillis(100))
                .build()) {
      List<ConnectionStatus> statuses = Collections.synchronizedList(new ArrayList<>());
      List<Change> got = Collections.synchronizedList(new ArrayList<>());
      client.onConnectionChange(statuses::add);
      client.allChanges(got::add);
      client.start();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> client.connectionStatus().state() == ConnectionState.CONNECTED);
      server.silenceConnections();
      TestClients.order(log, "o1", 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);

      assertThat(server.connections()).isEqualTo(2);
      assertThat(statuses).anySatisfy(s -> assertThat(s.detail()).contains("2 heartbeats"));
    }
  }

  @Test
  void start_unknownToken_offlineWithAHintAboutTheToken() throws Exception {
    TestChangeLog log = new TestChangeLog();
    try (RealtimeTestServer server = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0);
        OlympusClient client =
            TestClients.fast(dir, server.baseUrl()).deviceToken("stolen").build()) {
      List<ConnectionStatus> statuses = Collections.synchronizedList(new ArrayList<>());
      client.onConnectionChange(statuses::add);
      client.start();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> statuses.stream().anyMatch(s -> s.state() == ConnectionState.OFFLINE));

      ConnectionStatus offline =
          statuses.stream().filter(s -> s.state() == ConnectionState.OFFLINE).findFirst().get();
      assertThat(offline.detail()).contains("4401").contains("device token");
      assertThat(statuses).noneMatch(s -> s.state() == ConnectionState.CONNECTED);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Thread start(Runnable r) {
    Thread t = new Thread(r, "test-writer");
    t.start();
    return t;
  }
}
