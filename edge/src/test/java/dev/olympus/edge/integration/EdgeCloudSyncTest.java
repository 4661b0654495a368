package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.outbox.OutboxEntry;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.syncer.CloudClient;
import dev.olympus.edge.syncer.CloudException;
import dev.olympus.edge.syncer.CycleResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edges against the real cloud on loopback. */
class EdgeCloudSyncTest {
  @TempDir Path dir;

  @BeforeAll
  static void cloudJarPresent() {
    CloudHarness.assumeCloudAvailable();
  }

  /** The latest state of every record the edge's token may see, by collection/id. */
  static Map<String, Change> feed(CloudClient client) throws CloudException {
    Map<String, Change> all = new HashMap<>();
    long since = 0;
    while (true) {
      PullResponse page = client.pull(since, 10_000);
      for (Change c : page.changes()) {
        all.put(c.record().collection() + "/" + c.record().id(), c);
      }
      since = page.nextSince();
      if (!page.hasMore() || page.changes().isEmpty()) {
        return all;
      }
    }
  }

  static long lastSeq(CloudClient client) throws CloudException {
    return feed(client).values().stream().mapToLong(Change::seq).max().orElse(0);
  }

  @Test
  void offlineWrites_cloudStartsLater_edgeDrainsEveryOpExactlyOnce() throws Exception {
    Path cloudDir = dir.resolve("cloud");
    String edgeToken;
    int port;
    try (CloudHarness cloud = CloudHarness.start(cloudDir, 0)) {
      cloud.createTenant("t1");
      cloud.createLocation("t1", "loc-1");
      edgeToken = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      port = cloud.port;
    }
    // The cloud is down: the restaurant keeps selling.
    var settings =
        TestEdges.settings(
                dir.resolve("edge"),
                java.net.URI.create("http://127.0.0.1:" + port),
                edgeToken,
                "loc-1")
            .withDeviceId("edge-1");
    try (EdgeServer edge = EdgeServer.start(settings)) {
      for (int i = 0; i < 300; i++) {
        edge.records()
            .put("orders", "o-" + i, Map.of("total", i, "status", "pending"), OptionalLong.empty());
      }
      for (int i = 0; i < 40; i++) {
        edge.records().put("payments", "p-" + i, Map.of("amount", i), OptionalLong.empty());
      }
      edge.records().patch("orders", "o-1", Map.of("status", "confirmed"), OptionalLong.empty());
      edge.records().delete("orders", "o-2", OptionalLong.empty());
      assertThatThrownBy(edge::syncNow).isInstanceOf(CloudException.class);
      assertThat(edge.status().status()).isEqualTo("offline");

      try (CloudHarness cloud = CloudHarness.start(cloudDir, port)) {
        CycleResult r = edge.syncNow();

        assertThat(r.pushed()).isEqualTo(342);
        assertThat(r.rejected()).isZero();
        assertThat(edge.outbox().size()).isZero();
        assertThat(edge.status().status()).isEqualTo("synced");
        Map<String, Change> feed =
            feed(new CloudClient(cloud.url(), edgeToken, Duration.ofSeconds(30)));
        for (int i = 0; i < 300; i++) {
          Change c = feed.get("orders/o-" + i);
          assertThat(c).as("orders/o-" + i).isNotNull();
          if (i != 2) {
            assertThat(((Number) c.record().data().get("total")).intValue()).isEqualTo(i);
          }
        }
        assertThat(feed.get("orders/o-1").record().data()).containsEntry("status", "confirmed");
        assertThat(feed.get("orders/o-2").record().deleted()).isTrue();
        assertThat(feed.keySet().stream().filter(k -> k.startsWith("payments/"))).hasSize(40);
        // Applied once each: 342 ops, 340 records, one seq per applied op (+ the _devices rows).
        long opsSeqs =
            feed.values().stream().filter(c -> !c.record().collection().startsWith("_")).count();
        assertThat(opsSeqs).isEqualTo(340);

        CycleResult again = edge.syncNow();
        assertThat(again.pushed()).isZero();
      }
    }
  }

  @Test
  void duplicatePush_afterACrashBetweenCloudApplyAndLocalCommit_isAnsweredDuplicateAndAppliedOnce()
      throws Exception {
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0)) {
      cloud.createTenant("t1");
      cloud.createLocation("t1", "loc-1");
      String token = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      var settings =
          TestEdges.settings(dir.resolve("edge"), cloud.url(), token, "loc-1")
              .withDeviceId("edge-1");
      CloudClient client = new CloudClient(cloud.url(), token, Duration.ofSeconds(30));
      try (EdgeServer edge = EdgeServer.start(settings)) {
        for (int i = 0; i < 20; i++) {
          edge.records().put("orders", "o-" + i, Map.of("total", i), OptionalLong.empty());
        }
        // The cloud applies the batch, but the edge "crashes" before storing the answers.
        List<OutboxEntry> batch = edge.outbox().nextBatch(Outbox.Cursor.START, 100);
        List<OpResult> first = client.push(batch, edge.nodeId());
        assertThat(first).extracting(OpResult::outcome).containsOnly(Outcome.APPLIED);
        long seqAfterFirst = lastSeq(client);

        List<OpResult> retried = client.push(batch, edge.nodeId());
        assertThat(retried).extracting(OpResult::outcome).containsOnly(Outcome.DUPLICATE);
        for (int i = 0; i < batch.size(); i++) {
          assertThat(retried.get(i).seq()).isEqualTo(first.get(i).seq());
        }

        CycleResult r = edge.syncNow(); // the restarted edge pushes its outbox again
        assertThat(r.pushed()).isEqualTo(20);
        assertThat(edge.outbox().size()).isZero();
        assertThat(lastSeq(client)).isEqualTo(seqAfterFirst);
      }
    }
  }

  @Test
  void twoEdgesOfOneLocation_offlineEditsOnBoth_convergeAfterSyncing() throws Exception {
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0)) {
      cloud.createTenant("t1");
      cloud.createLocation("t1", "loc-1");
      String tokenA = cloud.registerDevice("t1", "loc-1", "edge-a", "olympus_edge");
      String tokenB = cloud.registerDevice("t1", "loc-1", "edge-b", "olympus_edge");
      try (EdgeServer a =
              EdgeServer.start(
                  TestEdges.settings(dir.resolve("a"), cloud.url(), tokenA, "loc-1")
                      .withDeviceId("edge-a"));
          EdgeServer b =
              EdgeServer.start(
                  TestEdges.settings(dir.resolve("b"), cloud.url(), tokenB, "loc-1")
                      .withDeviceId("edge-b"))) {
        a.records().put("tables", "t-1", Map.of("seats", 4), OptionalLong.empty());
        a.records()
            .put("orders", "o-1", Map.of("status", "pending", "total", 100), OptionalLong.empty());
        a.syncNow();
        b.syncNow();
        assertThat(b.records().find("orders", "o-1")).isPresent();

        // Both edit offline (no sync in between), then sync in turn.
        a.records().patch("tables", "t-1", Map.of("seats", 6), OptionalLong.empty());
        b.records().patch("tables", "t-1", Map.of("seats", 8), OptionalLong.empty());
        a.records().patch("orders", "o-1", Map.of("status", "ready"), OptionalLong.empty());
        b.records()
            .patch(
                "orders",
                "o-1",
                Map.of("status", "confirmed", "kitchen_notes", "no onions"),
                OptionalLong.empty());
        for (int i = 0; i < 30; i++) {
          a.records().put("orders", "a-" + i, Map.of("total", i), OptionalLong.empty());
          b.records().put("orders", "b-" + i, Map.of("total", i), OptionalLong.empty());
        }
        a.syncNow();
        b.syncNow();
        a.syncNow();

        for (String key : List.of("tables/t-1", "orders/o-1", "orders/a-7", "orders/b-7")) {
          String[] k = key.split("/");
          LocalRecord ra = a.records().find(k[0], k[1]).orElseThrow();
          LocalRecord rb = b.records().find(k[0], k[1]).orElseThrow();
          assertThat(ra.data()).as(key).isEqualTo(rb.data());
          assertThat(ra.version()).as(key).isEqualTo(rb.version());
        }
        LocalRecord order = a.records().find("orders", "o-1").orElseThrow();
        assertThat(order.data()).containsEntry("status", "ready"); // status only moves forward
        assertThat(a.records().list("orders", null, 1000)).hasSize(61);
        assertThat(b.records().list("orders", null, 1000)).hasSize(61);
        assertThat(a.status().pendingCount()).isZero();
        assertThat(b.status().pendingCount()).isZero();
      }
    }
  }

  @Test
  void terminalToken_learnedFromTheCloud_isVerifiedByTheEdgeWhileOffline() throws Exception {
    Path cloudDir = dir.resolve("cloud");
    String edgeToken;
    String posToken;
    int port;
    EdgeServer edge;
    try (CloudHarness cloud = CloudHarness.start(cloudDir, 0)) {
      cloud.createTenant("t1");
      cloud.createLocation("t1", "loc-1");
      edgeToken = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      posToken = cloud.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
      port = cloud.port;
      edge =
          EdgeServer.start(
              TestEdges.settings(dir.resolve("edge"), cloud.url(), edgeToken, "loc-1")
                  .withDeviceId("edge-1"));
      edge.syncNow();
    }
    try (edge) {
      assertThatThrownBy(edge::syncNow).isInstanceOf(CloudException.class);
      var r =
          TestEdges.send(
              "PUT",
              "http://127.0.0.1:" + edge.port() + "/api/v1/records/orders/o-1",
              posToken,
              "{\"total\":5}");
      assertThat(r.statusCode()).isEqualTo(201);
      var unknown =
          TestEdges.send(
              "GET",
              "http://127.0.0.1:" + edge.port() + "/api/v1/records/orders/o-1",
              "oly_not-a-device",
              null);
      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(port).isPositive();
    }
  }

  @Test
  void backgroundSync_localWriteWhileOnline_reachesTheCloudWithoutBeingAsked() throws Exception {
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0)) {
      cloud.createTenant("t1");
      cloud.createLocation("t1", "loc-1");
      String token = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      CloudClient client = new CloudClient(cloud.url(), token, Duration.ofSeconds(30));
      try (EdgeServer edge =
          EdgeServer.start(
              TestEdges.settings(dir.resolve("edge"), cloud.url(), token, "loc-1")
                  .withDeviceId("edge-1")
                  .withBackgroundSync(true))) {
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> edge.syncer().online());
        var r =
            TestEdges.send(
                "PUT",
                "http://127.0.0.1:" + edge.port() + "/api/v1/records/orders/o-live",
                token,
                "{\"total\":7}");
        assertThat(r.statusCode()).isEqualTo(201);

        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> feed(client).containsKey("orders/o-live"));
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> edge.outbox().size() == 0);
      }
    }
  }

  @SuppressWarnings("unused")
  private static List<String> ids(List<LocalRecord> rs) {
    List<String> out = new ArrayList<>();
    rs.forEach(r -> out.add(r.id()));
    return out;
  }
}
