package dev.olympus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.web.link.TcpProxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloud and two restaurants of one tenant. Both restaurants lose their link; while they are
 * offline their terminals and a cloud-connected terminal edit the same records; when the links
 * return, every replica converges, each collection by its own rule, and no restaurant sees the
 * other's records.
 */
class TwoRestaurantsConvergeIT {
  private static final String ADMIN = "converge-admin";
  private static final List<String> COLLECTIONS =
      List.of("orders", "payments", "tables", "time_punches", "menu_items");

  @Test
  void offlineEditsOnBothSides_reconnect_everyReplicaConverges(@TempDir Path dir) throws Exception {
    try (CloudServer cloud =
        CloudServer.start(
            CloudSettings.defaults(dir.resolve("cloud"))
                .withHost("127.0.0.1")
                .withAdminToken(ADMIN))) {
      Api admin = new Api(cloud.port(), ADMIN);
      admin.expect(201, "POST", "/api/v1/admin/tenants", Map.of("id", "t1", "name", "Burgers"));
      Map<String, String> edgeTokens = new HashMap<>();
      String cloudTerminal = null;
      for (String loc : List.of("loc-1", "loc-2")) {
        admin.expect(
            201, "POST", "/api/v1/admin/tenants/t1/locations", Map.of("id", loc, "name", loc));
        String devices = "/api/v1/admin/tenants/t1/locations/" + loc + "/devices";
        edgeTokens.put(
            loc,
            admin
                .expect(
                    201,
                    "POST",
                    devices,
                    Map.of("device_id", "edge-" + loc, "device_type", "olympus_edge"))
                .get("token")
                .asText());
        if (loc.equals("loc-1")) {
          cloudTerminal =
              admin
                  .expect(
                      201,
                      "POST",
                      devices,
                      Map.of("device_id", "pos-cloud", "device_type", "pos_terminal"))
                  .get("token")
                  .asText();
        }
      }
      // An enterprise-wide menu item every restaurant sees.
      admin.expect(
          201,
          "PUT",
          "/api/v1/admin/tenants/t1/records/menu_items/burger",
          Map.of("name", "Burger", "price", "12.50"));

      try (TcpProxy link1 = new TcpProxy("loc-1", cloud.port());
          TcpProxy link2 = new TcpProxy("loc-2", cloud.port());
          EdgeServer edge1 = edge(dir, "loc-1", link1, edgeTokens.get("loc-1"));
          EdgeServer edge2 = edge(dir, "loc-2", link2, edgeTokens.get("loc-2"))) {
        Api lan1 = new Api(edge1.port(), edgeTokens.get("loc-1"));
        Api lan2 = new Api(edge2.port(), edgeTokens.get("loc-2"));
        Api cloudPos = new Api(cloud.port(), cloudTerminal);

        // Online: an order, a table and a time punch that both sides will edit later.
        lan1.expect(
            201,
            "PUT",
            "/api/v1/records/orders/o-0",
            Map.of("status", "pending", "total", "20.00", "items", List.of("burger")));
        lan1.expect(201, "PUT", "/api/v1/records/tables/table-1", Map.of("status", "available"));
        lan1.expect(
            201,
            "PUT",
            "/api/v1/records/time_punches/tp-1",
            Map.of("employee_id", "emp-1", "clock_in", "09:00"));
        edge1.syncNow();
        edge2.syncNow();
        assertThat(
                lan2.expect(200, "GET", "/api/v1/records/menu_items/burger", null)
                    .path("data")
                    .path("price")
                    .asText())
            .isEqualTo("12.50");

        link1.cut();
        link2.cut();

        // Offline in restaurant 1: new orders, edits of the shared records, a payment.
        for (int i = 1; i <= 20; i++) {
          lan1.expect(
              201,
              "PUT",
              "/api/v1/records/orders/o-" + i,
              Map.of("status", "pending", "total", i + ".00"));
        }
        lan1.expect(
            200,
            "PATCH",
            "/api/v1/records/orders/o-0",
            Map.of("status", "preparing", "kitchen_notes", "no onions", "total", "25.00"));
        lan1.expect(
            201,
            "PUT",
            "/api/v1/records/payments/p-1",
            Map.of("order_id", "o-0", "amount", "20.00", "tender", "cash"));
        lan1.expect(
            200, "PATCH", "/api/v1/records/time_punches/tp-1", Map.of("clock_out", "17:00"));
        lan1.expect(200, "PATCH", "/api/v1/records/tables/table-1", Map.of("status", "occupied"));
        // Offline in restaurant 2: its own orders.
        for (int i = 1; i <= 10; i++) {
          lan2.expect(201, "PUT", "/api/v1/records/orders/r2-" + i, Map.of("status", "pending"));
        }
        // Meanwhile in the cloud: a cloud-connected terminal of restaurant 1 and the operator.
        cloudPos.expect(
            200,
            "PATCH",
            "/api/v1/records/orders/o-0",
            Map.of("status", "confirmed", "kitchen_notes", "extra napkins", "total", "22.00"));
        cloudPos.expect(
            200, "PATCH", "/api/v1/records/time_punches/tp-1", Map.of("break_minutes", 30));
        Thread.sleep(5); // the cloud's table edit is the later one
        cloudPos.expect(
            200, "PATCH", "/api/v1/records/tables/table-1", Map.of("status", "cleaning"));
        admin.expect(
            200,
            "PATCH",
            "/api/v1/admin/tenants/t1/records/menu_items/burger",
            Map.of("price", "13.00"));

        assertThat(edge1.status().pendingCount()).isPositive();
        link1.restore();
        link2.restore();
        await("both restaurants drained")
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(
                () -> {
                  edge1.syncNow();
                  edge2.syncNow();
                  return edge1.status().pendingCount() == 0 && edge2.status().pendingCount() == 0;
                });
        edge1.syncNow();
        edge2.syncNow();

        // Each collection by its rule.
        JsonNode order =
            cloudPos.expect(200, "GET", "/api/v1/records/orders/o-0", null).get("data");
        assertThat(order.get("status").asText())
            .as("status only moves forward")
            .isEqualTo("preparing");
        assertThat(order.get("total").asText()).as("money fields: server wins").isEqualTo("22.00");
        assertThat(order.get("kitchen_notes").asText())
            .as("kitchen notes of both sides kept")
            .contains("no onions")
            .contains("extra napkins");
        JsonNode punch =
            cloudPos.expect(200, "GET", "/api/v1/records/time_punches/tp-1", null).get("data");
        assertThat(punch.get("clock_out").asText())
            .as("merge keeps the edge's field")
            .isEqualTo("17:00");
        assertThat(punch.get("break_minutes").asInt()).as("and the cloud's").isEqualTo(30);
        assertThat(
                cloudPos
                    .expect(200, "GET", "/api/v1/records/tables/table-1", null)
                    .path("data")
                    .path("status")
                    .asText())
            .as("last write wins: the cloud's later edit")
            .isEqualTo("cleaning");

        // Every replica holds exactly what the cloud holds for its location.
        for (String collection : COLLECTIONS) {
          assertThat(list(lan1, collection))
              .as("restaurant 1, %s", collection)
              .isEqualTo(list(cloudPos, collection));
        }
        assertThat(list(lan1, "orders")).hasSize(21);
        assertThat(list(lan2, "orders"))
            .as("restaurant 2 sees only its own orders")
            .hasSize(10)
            .allSatisfy((id, data) -> assertThat(id).startsWith("r2-"));
        assertThat(list(lan2, "menu_items").get("burger").path("price").asText())
            .isEqualTo("13.00");
        assertThat(list(lan1, "menu_items").get("burger").path("price").asText())
            .isEqualTo("13.00");

        JsonNode conflicts = admin.expect(200, "GET", "/api/v1/admin/tenants/t1/conflicts", null);
        assertThat(conflicts.toString()).contains("o-0").contains("tp-1").contains("table-1");
      }
    }
  }

  private static EdgeServer edge(Path dir, String location, TcpProxy link, String token) {
    return EdgeServer.start(
        EdgeSettings.of(
                dir.resolve("edge-" + location),
                URI.create("http://127.0.0.1:" + link.port()),
                token,
                location)
            .withDeviceId("edge-" + location)
            .withHost("127.0.0.1")
            .withPort(0)
            .withBackgroundSync(false));
  }

  /** A collection's live records by id, read through the records API (all pages). */
  private static Map<String, JsonNode> list(Api api, String collection) throws Exception {
    Map<String, JsonNode> byId = new HashMap<>();
    String after = null;
    do {
      JsonNode page =
          api.expect(
              200,
              "GET",
              "/api/v1/records/"
                  + collection
                  + "?limit=1000"
                  + (after == null ? "" : "&after=" + after),
              null);
      for (JsonNode r : page.get("records")) {
        byId.put(r.get("id").asText(), r.get("data"));
      }
      after = page.path("next_after").isNull() ? null : page.path("next_after").asText(null);
    } while (after != null);
    return byId;
  }
}
