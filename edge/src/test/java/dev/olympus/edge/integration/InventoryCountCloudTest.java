package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock movements recorded on the edge before it syncs, then a count taken in the cloud arrives by
 * pull: on-hand is the cloud's count plus the movements after it, a movement at or before the count
 * is not counted twice, every movement still reaches the cloud, and the pulled count opens the
 * low-stock alert, which the cloud gets too.
 */
class InventoryCountCloudTest {
  @TempDir Path dir;
  CloudHarness cloud;
  String edgeToken;
  String posToken;

  @BeforeEach
  void startCloud() throws Exception {
    cloud = CloudHarness.start(dir.resolve("cloud"), 0);
    cloud.createTenant("t1");
    cloud.createLocation("t1", "loc-1");
    edgeToken = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
    posToken = cloud.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
  }

  @AfterEach
  void stopCloud() throws Exception {
    if (cloud != null) {
      cloud.close();
    }
  }

  HttpResponse<String> inCloud(String method, String path, String body) {
    return TestEdges.send(method, cloud.base() + path, posToken, body);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void cloudCount_byPull_isTheBaseOfOnHand_laterMovementsAdded_olderOnesNotTwice()
      throws Exception {
    var item =
        inCloud(
            "PUT",
            "/api/v1/records/inventory_items/flour",
            "{\"name\":\"Flour (kg)\",\"reorder_level\":\"9\"}");
    assertThat(item.statusCode()).as(item.body()).isEqualTo(201);
    try (EdgeServer edge =
        EdgeServer.start(
            TestEdges.settings(dir.resolve("edge"), cloud.url(), edgeToken, "loc-1")
                .withDeviceId("edge-1"))) {
      edge.syncNow(); // devices and the stock item
      String lan = "http://127.0.0.1:" + edge.port();

      JsonNode receipt = move(lan, "receipt", "20");
      JsonNode sale = move(lan, "sale", "3");
      // The back office counts 10 at the moment of the sale: the sale is in that count.
      var count =
          inCloud(
              "PUT",
              "/api/v1/records/inventory_counts/count-1",
              "{\"item_id\":\"flour\",\"quantity\":\"10\",\"counted_at\":\""
                  + sale.get("recorded_at").asText()
                  + "\"}");
      assertThat(count.statusCode()).as(count.body()).isEqualTo(201);
      JsonNode later = move(lan, "sale", "2");

      JsonNode before = onHand(lan);
      assertThat(before.get("on_hand").asText()).isEqualTo("15"); // 20 − 3 − 2, no count yet
      assertThat(before.get("low_stock").asBoolean()).isFalse();

      edge.syncNow();

      JsonNode after = onHand(lan);
      assertThat(after.get("on_hand").asText()).isEqualTo("8"); // 10 − 2
      assertThat(after.get("last_count").get("source").asText()).isEqualTo("cloud");
      assertThat(after.get("last_count").get("id").asText()).isEqualTo("count-1");
      assertThat(after.get("movements_since_count").asInt()).isEqualTo(1);
      assertThat(after.get("low_stock").asBoolean()).isTrue();

      // Movements are never lost: all three are in the cloud.
      for (JsonNode m : List.of(receipt, sale, later)) {
        var r = inCloud("GET", "/api/v1/records/inventory_movements/" + m.get("id").asText(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      // The pulled count opened the alert; the next sync takes it to the cloud.
      var alerts = json(TestEdges.send("GET", lan + "/api/v1/inventory/alerts", posToken, null));
      assertThat(alerts.get("alerts")).hasSize(1);
      JsonNode alert = alerts.get("alerts").get(0);
      assertThat(alert.get("item_id").asText()).isEqualTo("flour");
      assertThat(alert.get("on_hand").asText()).isEqualTo("8");
      edge.syncNow();
      var alertInCloud =
          inCloud("GET", "/api/v1/records/inventory_alerts/" + alert.get("id").asText(), null);
      assertThat(alertInCloud.statusCode()).as(alertInCloud.body()).isEqualTo(200);
      assertThat(json(alertInCloud).get("data").get("status").asText()).isEqualTo("open");
      assertThat(edge.outbox().size()).isZero();
    }
  }

  JsonNode move(String lan, String kind, String quantity) throws Exception {
    var r =
        TestEdges.send(
            "POST",
            lan + "/api/v1/inventory/movements",
            posToken,
            "{\"item_id\":\"flour\",\"kind\":\"" + kind + "\",\"quantity\":\"" + quantity + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  JsonNode onHand(String lan) throws Exception {
    var r = TestEdges.send("GET", lan + "/api/v1/inventory/on-hand/flour", posToken, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }
}
