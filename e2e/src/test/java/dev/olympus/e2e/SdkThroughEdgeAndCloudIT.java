package dev.olympus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.olympus.client.Change;
import dev.olympus.client.ConnectionState;
import dev.olympus.client.WriteRejectedException;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's first proof: two SDK terminals of one restaurant, A on the edge's LAN and B on the
 * cloud, see each other's orders and table changes at once, typed and named as seed 002 names them;
 * a terminal of another restaurant of the same tenant, and one of another tenant, each connected
 * with a valid token of its own, receive nothing of theirs (while receiving their own changes, so
 * they were listening), and the same tokens pointed at restaurant 1 are refused.
 */
class SdkThroughEdgeAndCloudIT {
  private static final String ADMIN = "sdk-admin";
  private static final Duration SOON = Duration.ofSeconds(20);

  @Test
  void terminalsOnEdgeAndCloud_seeEachOther_othersSeeNothing(@TempDir Path dir) throws Exception {
    try (CloudServer cloud =
        CloudServer.start(
            CloudSettings.defaults(dir.resolve("cloud"))
                .withHost("127.0.0.1")
                .withAdminToken(ADMIN))) {
      Api admin = new Api(cloud.port(), ADMIN);
      String cloudUrl = "http://127.0.0.1:" + cloud.port();
      admin.expect(201, "POST", "/api/v1/admin/tenants", Map.of("id", "t1", "name", "Burgers"));
      admin.expect(201, "POST", "/api/v1/admin/tenants", Map.of("id", "t2", "name", "Tacos"));
      location(admin, "t1", "loc-1");
      location(admin, "t1", "loc-2");
      location(admin, "t2", "loc-9");
      String edgeToken = device(admin, "t1", "loc-1", "edge-1", "olympus_edge");
      String tokenA = device(admin, "t1", "loc-1", "pos-a", "pos_terminal");
      String tokenB = device(admin, "t1", "loc-1", "pos-b", "pos_terminal");
      String tokenC = device(admin, "t1", "loc-2", "pos-c", "pos_terminal");
      String tokenD = device(admin, "t2", "loc-9", "pos-d", "pos_terminal");

      try (EdgeServer edge =
          EdgeServer.start(
              EdgeSettings.of(dir.resolve("edge"), URI.create(cloudUrl), edgeToken, "loc-1")
                  .withDeviceId("edge-1")
                  .withHost("127.0.0.1")
                  .withPort(0))) {
        edge.syncNow(); // the edge learns its terminals' tokens
        String edgeUrl = "http://127.0.0.1:" + edge.port();

        try (Terminal a = Terminal.start("A", dir.resolve("a"), tokenA, "pos-a", "loc-1", edgeUrl);
            Terminal b = Terminal.start("B", dir.resolve("b"), tokenB, "pos-b", "loc-1", cloudUrl);
            Terminal c = Terminal.start("C", dir.resolve("c"), tokenC, "pos-c", "loc-2", cloudUrl);
            Terminal d = Terminal.start("D", dir.resolve("d"), tokenD, "pos-d", "loc-9", cloudUrl);
            // Valid tokens of restaurant 2 and of tenant 2, claiming restaurant 1.
            Terminal cOnEdge =
                Terminal.start("C@edge", dir.resolve("c2"), tokenC, "pos-c", "loc-1", edgeUrl);
            Terminal cAsLoc1 =
                Terminal.start("C@loc-1", dir.resolve("c3"), tokenC, "pos-c", "loc-1", cloudUrl);
            Terminal dOnEdge =
                Terminal.start("D@edge", dir.resolve("d2"), tokenD, "pos-d", "loc-1", edgeUrl);
            Terminal dAsLoc1 =
                Terminal.start("D@loc-1", dir.resolve("d3"), tokenD, "pos-d", "loc-1", cloudUrl)) {
          a.awaitConnectedTo(edgeUrl, SOON);
          b.awaitConnectedTo(cloudUrl, SOON);
          c.awaitConnectedTo(cloudUrl, SOON);
          d.awaitConnectedTo(cloudUrl, SOON);

          // Orders, both ways, each step seen by the other terminal before the next.
          a.client.broadcastOrderUpdate(
              "ord-a1", "created", Map.of("status", "pending", "total", "12.50"));
          awaitSees(b, order("ord-a1", "created", "pending"));
          b.client.broadcastOrderUpdate(
              "ord-b1", "created", Map.of("status", "pending", "total", "8.00"));
          awaitSees(a, order("ord-b1", "created", "pending"));
          a.client.broadcastOrderUpdate("ord-b1", "status_changed", Map.of("status", "preparing"));
          awaitSees(b, order("ord-b1", "status_changed", "preparing"));
          b.client.broadcastOrderUpdate("ord-a1", "status_changed", Map.of("status", "ready"));
          awaitSees(a, order("ord-a1", "status_changed", "ready"));
          b.client.broadcastOrderUpdate("ord-a1", "completed", Map.of());
          awaitSees(a, order("ord-a1", "completed", "completed"));
          a.client.broadcastOrderUpdate("ord-b1", "updated", Map.of("notes", "window seat"));
          awaitSees(
              b,
              order("ord-b1", "updated", "preparing")
                  .and(ch -> "window seat".equals(ch.data().get("notes"))));

          // Tables, both ways: each status is its own action.
          a.client.put("tables", "table-1", Map.of("status", "available", "seats", 4));
          awaitSees(b, table("table-1", "available"));
          a.client.updateTableStatus("table-1", "occupied");
          awaitSees(b, table("table-1", "occupied"));
          b.client.updateTableStatus("table-1", "cleaning");
          awaitSees(a, table("table-1", "cleaning"));
          b.client.put("tables", "table-2", Map.of("status", "reserved", "seats", 2));
          awaitSees(a, table("table-2", "reserved"));

          // Restaurant 2 and tenant 2 write too; each sees its own. C tries to take over
          // restaurant 1's table (same tenant, so the same id space): refused.
          assertThatThrownBy(
                  () ->
                      c.client
                          .put("tables", "table-1", Map.of("status", "occupied", "seats", 6))
                          .get(20, TimeUnit.SECONDS))
              .hasCauseInstanceOf(WriteRejectedException.class)
              .hasMessageContaining("403");
          c.client.broadcastOrderUpdate("ord-c1", "created", Map.of("status", "pending"));
          c.client.put("tables", "table-c1", Map.of("status", "occupied", "seats", 6));
          d.client.broadcastOrderUpdate("ord-d1", "created", Map.of("status", "pending"));
          d.client.put("tables", "table-1", Map.of("status", "reserved", "seats", 8));
          awaitSees(c, table("table-c1", "occupied"));
          awaitSees(d, table("table-1", "reserved"));
          // A last change in restaurant 1, committed after theirs: once both of its terminals have
          // it, anything of restaurant 2 or tenant 2 that leaked would have been delivered before.
          b.client.broadcastOrderUpdate("ord-b2", "created", Map.of("status", "pending"));
          awaitSees(a, order("ord-b2", "created", "pending"));
          awaitSees(b, order("ord-b2", "created", "pending"));
          // The same fence for restaurant 2 and tenant 2.
          c.client.broadcastOrderUpdate("ord-c2", "created", Map.of("status", "pending"));
          d.client.broadcastOrderUpdate("ord-d2", "created", Map.of("status", "pending"));
          awaitSees(c, order("ord-c2", "created", "pending"));
          awaitSees(d, order("ord-d2", "created", "pending"));

          // Typed listeners got their type only, with seed 002's names.
          assertThat(b.orderUpdates()).allMatch(ch -> ch.type().equals("order_update"));
          assertThat(b.tableUpdates()).allMatch(ch -> ch.type().equals("table_update"));
          assertThat(b.tableUpdates())
              .extracting(ch -> ch.id() + " " + ch.action())
              .containsSubsequence(
                  "table-1 available", "table-1 occupied", "table-1 cleaning", "table-2 reserved");
          assertThat(a.orderUpdates())
              .extracting(ch -> ch.id() + " " + ch.action())
              .containsSubsequence(
                  "ord-a1 created",
                  "ord-b1 created",
                  "ord-b1 status_changed",
                  "ord-a1 status_changed",
                  "ord-a1 completed",
                  "ord-b1 updated",
                  "ord-b2 created");
          for (Terminal t : List.of(a, b)) {
            assertThat(ids(t))
                .as("%s sees restaurant 1 only", t.name)
                .containsExactlyInAnyOrder("ord-a1", "ord-b1", "ord-b2", "table-1", "table-2");
            assertThat(t.tableUpdates())
                .as("%s never got restaurant 2's or tenant 2's tables", t.name)
                .extracting(ch -> ((Number) ch.data().get("seats")).intValue())
                .containsOnly(4, 2);
            t.assertEachChangeOnceInOrder();
          }
          assertThat(ids(c))
              .as("C sees restaurant 2 only")
              .containsOnly("ord-c1", "ord-c2", "table-c1");
          assertThat(ids(d)).as("D sees tenant 2 only").containsOnly("ord-d1", "ord-d2", "table-1");
          assertThat(d.changes())
              .filteredOn(ch -> ch.id().equals("table-1"))
              .allMatch(ch -> ((Number) ch.data().get("seats")).intValue() == 8);

          // The tokens of restaurant 2 and tenant 2 cannot listen to restaurant 1.
          for (Terminal intruder : List.of(cOnEdge, cAsLoc1, dOnEdge, dAsLoc1)) {
            await(intruder.name + " refused")
                .atMost(SOON)
                .until(() -> intruder.count(ConnectionState.OFFLINE, url(intruder)) > 0);
            assertThat(intruder.count(ConnectionState.CONNECTED, url(intruder)))
                .as("%s was never welcomed", intruder.name)
                .isZero();
            assertThat(intruder.changes()).as("%s received nothing", intruder.name).isEmpty();
          }
          assertThat(refusal(cOnEdge)).contains("4401");
          assertThat(refusal(dOnEdge)).contains("4401");
          assertThat(refusal(cAsLoc1)).contains("4403");
          assertThat(refusal(dAsLoc1)).contains("4403");
        }
      }
    }
  }

  private static String url(Terminal t) {
    return t.statuses().stream().flatMap(s -> s.endpoint().stream()).findFirst().orElseThrow();
  }

  private static String refusal(Terminal t) {
    return t.statuses().stream()
        .filter(s -> s.state() == ConnectionState.OFFLINE)
        .map(s -> s.detail())
        .filter(s -> s.contains("closed the connection") || s.contains("answered"))
        .findFirst()
        .orElse(t.statuses().toString());
  }

  private static Set<String> ids(Terminal t) {
    return t.changes().stream().map(Change::id).collect(java.util.stream.Collectors.toSet());
  }

  private static Predicate<Change> order(String id, String action, String status) {
    return ch ->
        ch.type().equals("order_update")
            && ch.collection().equals("orders")
            && ch.id().equals(id)
            && ch.action().equals(action)
            && status.equals(ch.data().get("status"));
  }

  private static Predicate<Change> table(String id, String action) {
    return ch ->
        ch.type().equals("table_update")
            && ch.id().equals(id)
            && ch.action().equals(action)
            && action.equals(ch.data().get("status"));
  }

  /** Awaits {@code t}'s typed listener (orders or tables) delivering a matching change. */
  private static void awaitSees(Terminal t, Predicate<Change> p) {
    await(t.name + " sees the change")
        .atMost(SOON)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> t.orderUpdates().stream().anyMatch(p) || t.tableUpdates().stream().anyMatch(p));
  }

  private static void location(Api admin, String tenant, String id) throws Exception {
    admin.expect(
        201,
        "POST",
        "/api/v1/admin/tenants/" + tenant + "/locations",
        Map.of("id", id, "name", id));
  }

  private static String device(Api admin, String tenant, String location, String id, String type)
      throws Exception {
    return admin
        .expect(
            201,
            "POST",
            "/api/v1/admin/tenants/" + tenant + "/locations/" + location + "/devices",
            Map.of("device_id", id, "device_type", type))
        .get("token")
        .asText();
  }
}
