package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.syncer.CloudChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudChannelTest {
  @TempDir Path dir;

  @Test
  void cloudWriteAndTrigger_reachTheEdgeOverTheSocket_withoutWaitingForTheInterval()
      throws Exception {
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0)) {
      String edgeToken = registerEdge(cloud, 60);
      String posToken = cloud.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
      try (EdgeServer edge = startEdge(cloud, edgeToken)) {
        CloudChannel channel = edge.syncer().channel().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.syncer().cycles() >= 1);
        assertThat(cloud.admin("GET", "/api/restaurants/loc-1/status", null).toString())
            .contains("edge-1");

        long before = channel.notices();
        writeInCloudAndAwaitOnEdge(cloud, edge, posToken, Duration.ofMillis(1500));
        assertThat(channel.notices()).isGreaterThan(before);

        long beforeTrigger = channel.notices();
        long cycles = edge.syncer().cycles();
        cloud.admin("POST", "/api/v1/sync/trigger", Map.of("location_id", "loc-1"));
        // The promise: a triggered edge has synced within a second.
        await().atMost(Duration.ofSeconds(1)).until(() -> edge.syncer().cycles() > cycles);
        assertThat(channel.notices()).isGreaterThan(beforeTrigger);
      }
    }
  }

  @Test
  void lanWelcome_onceTheCloudNamedItsStream_marksWhereTheEdgeStandsInIt() throws Exception {
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0)) {
      String edgeToken = registerEdge(cloud, 60);
      String posToken = cloud.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
      try (EdgeServer edge = startEdge(cloud, edgeToken)) {
        writeInCloudAndAwaitOnEdge(cloud, edge, posToken, Duration.ofSeconds(5));
        long cloudSeq = edge.syncer().lastPulledSeq();
        assertThat(cloudSeq).isPositive();

        try (var terminal =
            dev.olympus.edge.realtime.TestSocket.connect(
                edge.port(), posToken, "pos-1", "loc-1", 0L)) {
          var welcome = terminal.next();
          assertThat(welcome.path("type").asText()).isEqualTo("welcome");
          var upstream = welcome.path("upstream");
          assertThat(upstream.path("stream").asText()).isEqualTo("cloud:t1");
          assertThat(upstream.path("seq").asLong()).isGreaterThanOrEqualTo(cloudSeq);
          assertThat(upstream.path("through_seq").asLong())
              .isEqualTo(edge.records().latestLanSeq())
              .isPositive();
        }
      }
    }
  }

  @Test
  void backgroundSync_quietRestaurant_cyclesEveryIntervalSeconds() throws Exception {
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0)) {
      String edgeToken = registerEdge(cloud, 1);
      try (EdgeServer edge = startEdge(cloud, edgeToken)) {
        CloudChannel channel = edge.syncer().channel().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.syncer().cycles() >= 2);
        // Nothing is written anywhere from here on: only the interval starts cycles.
        long before = edge.syncer().cycles();
        long noticesBefore = channel.notices();
        Thread.sleep(3_500);
        assertThat(channel.notices()).isEqualTo(noticesBefore);
        assertThat(edge.syncer().cycles() - before).isBetween(1L, 5L);
      }
    }
  }

  /**
   * Tenant t1 with location loc-1 and its edge device edge-1, syncing every interval; its token.
   */
  private static String registerEdge(CloudHarness cloud, int intervalSeconds) throws Exception {
    cloud.createTenant("t1");
    cloud.createLocation("t1", "loc-1");
    String edgeToken = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
    cloud.admin(
        "PUT",
        "/api/v1/admin/tenants/t1/sync-config",
        Map.of("sync_config", SyncConfig.defaults().withIntervalSeconds(intervalSeconds)));
    return edgeToken;
  }

  /** The edge syncing in the background, once its socket to the cloud is up. */
  private EdgeServer startEdge(CloudHarness cloud, String edgeToken) {
    EdgeServer edge =
        EdgeServer.start(
            TestEdges.settings(dir.resolve("edge"), cloud.url(), edgeToken, "loc-1")
                .withDeviceId("edge-1")
                .withBackgroundSync(true));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> edge.syncer().channel().orElseThrow().connected());
    return edge;
  }

  /** A terminal writes an order in the cloud; the edge has pulled it {@code within}. */
  private static void writeInCloudAndAwaitOnEdge(
      CloudHarness cloud, EdgeServer edge, String posToken, Duration within) {
    var put =
        TestEdges.send(
            "PUT",
            cloud.base() + "/api/v1/records/orders/from-cloud",
            posToken,
            "{\"status\":\"pending\"}");
    assertThat(put.statusCode()).isEqualTo(201);
    await().atMost(within).until(() -> edge.records().find("orders", "from-cloud").isPresent());
  }
}
