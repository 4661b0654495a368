package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.config.SyncKind;
import dev.olympus.edge.store.Json;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restaurant's day against the real cloud: config seeded through the admin API, an order and
 * its payment taken on the edge's LAN, then synced; another location's terminal is refused.
 */
class OperationsCloudTest {
  @TempDir Path dir;
  CloudHarness cloud;
  String edgeToken;
  String posToken;
  String otherLocationPos;

  @BeforeEach
  void startCloud() throws Exception {
    cloud = CloudHarness.start(dir.resolve("cloud"), 0);
    cloud.createTenant("t1");
    cloud.createLocation("t1", "loc-1");
    cloud.createLocation("t1", "loc-2");
    edgeToken = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
    posToken = cloud.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
    otherLocationPos = cloud.registerDevice("t1", "loc-2", "pos-9", "pos_terminal");
    config(
        "tax_groups",
        Map.of("id", "tax-1", "property_id", "loc-1", "name", "Food", "rate", "0.0875"));
    config("slus", Map.of("id", "slu-1", "property_id", "loc-1", "name", "Burgers"));
    config(
        "menu_items",
        Map.of(
            "id",
            "mi-1",
            "property_id",
            "loc-1",
            "name",
            "Burger",
            "price",
            "9.50",
            "slu_id",
            "slu-1",
            "tax_group_id",
            "tax-1"));
  }

  @AfterEach
  void stopCloud() throws Exception {
    if (cloud != null) {
      cloud.close();
    }
  }

  void config(String type, Map<String, Object> body) throws Exception {
    cloud.admin("POST", "/api/v1/config/" + type, body);
  }

  @Test
  void orderAndCashPayment_takenOnTheLan_reachTheCloud() throws Exception {
    try (EdgeServer edge =
        EdgeServer.start(
            TestEdges.settings(dir.resolve("edge"), cloud.url(), edgeToken, "loc-1")
                .withDeviceId("edge-1"))) {
      edge.syncNow(); // learns the location's devices
      edge.configSyncer().syncNow(SyncKind.FULL);
      String lan = "http://127.0.0.1:" + edge.port();

      var menu = TestEdges.send("GET", lan + "/api/v1/menu", posToken, null);
      assertThat(menu.statusCode()).as(menu.body()).isEqualTo(200);
      assertThat(menu.body()).contains("\"mi-1\"").contains("\"9.50\"");

      var refused =
          TestEdges.send(
              "POST",
              lan + "/api/v1/orders",
              otherLocationPos,
              "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-1\",\"quantity\":1}]}");
      assertThat(refused.statusCode()).isEqualTo(401);

      var created =
          TestEdges.send(
              "POST",
              lan + "/api/v1/orders",
              posToken,
              "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-1\",\"quantity\":2}]}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      JsonNode order = Json.MAPPER.readTree(created.body());
      // 19.00 × 8.75 % = 1.6625 → 1.66
      assertThat(order.get("total").asText()).isEqualTo("20.66");
      String id = order.get("id").asText();
      var paid =
          TestEdges.send(
              "POST",
              lan + "/api/v1/orders/" + id + "/payments",
              posToken,
              "{\"tender\":\"cash\",\"amount\":\"20.66\"}");
      assertThat(paid.statusCode()).as(paid.body()).isEqualTo(201);
      String paymentId = Json.MAPPER.readTree(paid.body()).get("id").asText();

      edge.syncNow();

      var inCloud =
          TestEdges.send("GET", cloud.base() + "/api/v1/records/orders/" + id, posToken, null);
      assertThat(inCloud.statusCode()).as(inCloud.body()).isEqualTo(200);
      JsonNode cloudOrder = Json.MAPPER.readTree(inCloud.body()).get("data");
      assertThat(cloudOrder.get("total").asText()).isEqualTo("20.66");
      assertThat(cloudOrder.get("balance_due").asText()).isEqualTo("0.00");
      var payment =
          TestEdges.send(
              "GET", cloud.base() + "/api/v1/records/payments/" + paymentId, posToken, null);
      assertThat(payment.statusCode()).isEqualTo(200);
      assertThat(edge.outbox().size()).isZero();
    }
  }
}
