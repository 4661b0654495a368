package dev.olympus.client;

import static dev.olympus.client.DeliveryTest.sleep;
import static dev.olympus.client.DeliveryTest.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailoverTest {
  @TempDir Path dir;

  @Test
  void failover_edgeDiesThenReturns_everyChangeDeliveredOnceAndClientReturnsToEdge()
      throws Exception {
    TestChangeLog log = new TestChangeLog();
    RealtimeTestServer edge = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(0);
    RealtimeTestServer cloud = new RealtimeTestServer(log, "cloud:t1", "cloud", 500).start(0);
    int edgePort = edge.port();
    List<Change> got = Collections.synchronizedList(new ArrayList<>());
    List<ConnectionStatus> statuses = Collections.synchronizedList(new ArrayList<>());
    int total = 1_500;
    try (OlympusClient client = TestClients.fast(dir, edge.baseUrl(), cloud.baseUrl()).build()) {
      client.allChanges(got::add);
      client.onConnectionChange(statuses::add);
      client.start();
      // Three phases, each started once the client is where the phase needs it: on the edge, on
      // the cloud after the edge died, and back on the edge. Writes keep coming during each switch.
      Thread writer = start(() -> write(log, 1, 500));
      await().atMost(Duration.ofSeconds(20)).until(() -> got.size() >= 300);
      edge.stop();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> client.connectionStatus().isConnectedTo(cloud.baseUrl()));
      writer.join();
      writer = start(() -> write(log, 501, 1_000));
      await().atMost(Duration.ofSeconds(20)).until(() -> got.size() >= 700);
      edge = new RealtimeTestServer(log, "edge:e1", "edge", 500).start(edgePort);
      RealtimeTestServer back = edge;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> client.connectionStatus().isConnectedTo(back.baseUrl()));
      writer.join();
      writer = start(() -> write(log, 1_001, total));
      writer.join();
      await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= total);
      sleep(200);

      assertThat(got).hasSize(total);
      assertThat(got)
          .extracting(c -> c.id() + "@" + c.version())
          .as("no record version delivered twice")
          .doesNotHaveDuplicates();
      Map<String, Long> lastVersion = new HashMap<>();
      for (Change c : got) {
        Long before = lastVersion.put(c.id(), c.version());
        assertThat(before == null || before < c.version())
            .as("versions of %s delivered in order", c.id())
            .isTrue();
      }
      List<String> connectedTo =
          statuses.stream()
              .filter(s -> s.state() == ConnectionState.CONNECTED)
              .map(s -> s.stream().orElseThrow())
              .toList();
      assertThat(connectedTo).containsSubsequence("edge:e1", "cloud:t1", "edge:e1");
      assertThat(got).extracting(Change::stream).contains("edge:e1", "cloud:t1");
    } finally {
      edge.stop();
      cloud.stop();
    }
  }

  /** Orders {@code from} to {@code to}, over 300 records that each change many times. */
  @Test
  void failover_firstTimeToTheCloud_resumesAtTheEdgesMarkInsteadOfReplayingEverything()
      throws Exception {
    TestChangeLog log = new TestChangeLog();
    for (int i = 1; i <= 400; i++) {
      TestClients.order(log, "o" + i, i);
    }
    RealtimeTestServer edge = new RealtimeTestServer(log, "edge:e1", "edge", 500);
    edge.upstream = "cloud:t1";
    edge.start(0);
    RealtimeTestServer cloud = new RealtimeTestServer(log, "cloud:t1", "cloud", 500).start(0);
    List<Change> got = Collections.synchronizedList(new ArrayList<>());
    try (OlympusClient client = TestClients.fast(dir, edge.baseUrl(), cloud.baseUrl()).build()) {
      client.allChanges(got::add);
      client.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 400);
      assertThat(client.cursors()).containsEntry("cloud:t1", 400L);

      edge.stop();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> client.connectionStatus().isConnectedTo(cloud.baseUrl()));
      for (int i = 401; i <= 450; i++) {
        TestClients.order(log, "o" + i, i);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> got.size() >= 450);
      sleep(200);

      assertThat(cloud.resumes).as("the cloud's stream resumed at the edge's mark").contains(400L);
      assertThat(cloud.resumes).doesNotContain(0L);
      assertThat(got).extracting(Change::id).doesNotHaveDuplicates().hasSize(450);
    } finally {
      cloud.stop();
    }
  }

  private static void write(TestChangeLog log, int from, int to) {
    for (int i = from; i <= to; i++) {
      TestClients.order(log, "o" + (i % 300), i);
      if (i % 30 == 0) {
        sleep(5);
      }
    }
  }
}
