package dev.olympus.edge.pos;

import static dev.olympus.edge.TestEdges.API_KEY;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LAN API of an edge whose cloud is unreachable: everything here works offline. */
class LanApiTest {
  static final String POS_TOKEN = "oly_pos-terminal-token-abcdefghijklmnopqrstuvwxyz0";
  static final String REVOKED_TOKEN = "oly_revoked-terminal-token-abcdefghijklmnopqrstuv";

  @TempDir static Path dir;
  static EdgeServer edge;
  static String base;

  @BeforeAll
  static void start() {
    edge =
        EdgeServer.start(
            TestEdges.settings(dir, TestEdges.DEAD_CLOUD, API_KEY, "loc-1")
                .withMaxBodyBytes(64 * 1024));
    edge.devices()
        .store(
            List.of(
                TestEdges.device("pos-1", "pos_terminal", POS_TOKEN, false),
                TestEdges.device("pos-2", "pos_terminal", REVOKED_TOKEN, true)));
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterAll
  static void stop() {
    edge.close();
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void put_terminalTokenWhileOffline_storesTheRecordAndQueuesIt() throws Exception {
    long before = edge.outbox().size();
    var r = send("PUT", base + "/api/v1/records/orders/o-100", POS_TOKEN, "{\"total\":1250}");

    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode body = json(r);
    assertThat(body.get("data").get("total").asInt()).isEqualTo(1250);
    assertThat(r.headers().firstValue("ETag")).contains("\"" + body.get("version").asLong() + "\"");
    assertThat(edge.outbox().size()).isEqualTo(before + 1);

    var again = send("PUT", base + "/api/v1/records/orders/o-100", POS_TOKEN, "{\"total\":1300}");
    assertThat(again.statusCode()).isEqualTo(200);
    var got = send("GET", base + "/api/v1/records/orders/o-100", POS_TOKEN, null);
    assertThat(json(got).get("data").get("total").asInt()).isEqualTo(1300);
  }

  @Test
  void request_unknownOrRevokedOrMissingToken_is401Json() throws Exception {
    for (String token : new String[] {"oly_nobody", REVOKED_TOKEN, null}) {
      var r = send("GET", base + "/api/v1/records/orders/o-1", token, null);
      assertThat(r.statusCode()).as("token %s", token).isEqualTo(401);
      assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
      assertThat(json(r).get("message").asText()).isNotBlank();
    }
  }

  @Test
  void request_edgeApiKey_isAccepted() {
    var r = send("PUT", base + "/api/v1/records/tables/t-1", API_KEY, "{\"seats\":4}");
    assertThat(r.statusCode()).isEqualTo(201);
  }

  @Test
  void put_malformedJson_is400InvalidJson() throws Exception {
    var r = send("PUT", base + "/api/v1/records/orders/o-2", POS_TOKEN, "{\"total\":");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).isEqualTo("invalid_json");
  }

  @Test
  void put_bodyThatIsNotAnObject_is400() throws Exception {
    for (String body : new String[] {"[1,2]", "42", "\"text\"", "null"}) {
      var r = send("PUT", base + "/api/v1/records/orders/o-3", POS_TOKEN, body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(json(r).get("field").asText()).isEqualTo("data");
    }
  }

  @Test
  void put_emptyBody_is400MissingField() throws Exception {
    var r = send("PUT", base + "/api/v1/records/orders/o-4", POS_TOKEN, "");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).isEqualTo("missing_field");
  }

  @Test
  void put_reservedOrInvalidCollection_is400NamingTheCollection() throws Exception {
    var reserved = send("PUT", base + "/api/v1/records/_devices/x", POS_TOKEN, "{}");
    assertThat(reserved.statusCode()).isEqualTo(400);
    assertThat(json(reserved).get("field").asText()).isEqualTo("collection");
    assertThat(json(reserved).get("message").asText()).contains("reserved");

    var invalid = send("PUT", base + "/api/v1/records/Orders/x", POS_TOKEN, "{}");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(json(invalid).get("message").asText()).contains("'Orders'");
  }

  @Test
  void put_invalidId_is400() throws Exception {
    var r = send("PUT", base + "/api/v1/records/orders/bad%20id", POS_TOKEN, "{}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("field").asText()).isEqualTo("id");
  }

  @Test
  void put_oversizedBody_is413BodyTooLarge() throws Exception {
    String big = "{\"blob\":\"" + "x".repeat(70 * 1024) + "\"}";
    var r = send("PUT", base + "/api/v1/records/orders/o-5", POS_TOKEN, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("error").asText()).isEqualTo("body_too_large");
    assertThat(edge.records().find("orders", "o-5")).isEmpty();
  }

  @Test
  void put_nonNumericIfMatch_is400() throws Exception {
    var r =
        send(
            "PUT",
            base + "/api/v1/records/orders/o-6",
            POS_TOKEN,
            "{}",
            "If-Match",
            "\"yesterday\"");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("field").asText()).isEqualTo("If-Match");
  }

  @Test
  void patch_absentRecord_is404() throws Exception {
    var r = send("PATCH", base + "/api/v1/records/orders/nope", POS_TOKEN, "{\"a\":1}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void patchAndDelete_existingRecord_changeItAndGetHidesTheTombstone() throws Exception {
    send("PUT", base + "/api/v1/records/tables/t-9", POS_TOKEN, "{\"seats\":4,\"zone\":\"a\"}");
    var p = send("PATCH", base + "/api/v1/records/tables/t-9", POS_TOKEN, "{\"seats\":6}");
    assertThat(p.statusCode()).isEqualTo(200);
    assertThat(json(p).get("data").get("zone").asText()).isEqualTo("a");
    assertThat(json(p).get("data").get("seats").asInt()).isEqualTo(6);

    var d = send("DELETE", base + "/api/v1/records/tables/t-9", POS_TOKEN, null);
    assertThat(d.statusCode()).isEqualTo(200);
    assertThat(json(d).get("deleted").asBoolean()).isTrue();
    assertThat(send("GET", base + "/api/v1/records/tables/t-9", POS_TOKEN, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void put_changeToAnAppendOnlyRecord_is409() throws Exception {
    send("PUT", base + "/api/v1/records/payments/pay-1", POS_TOKEN, "{\"amount\":500}");
    var r = send("PUT", base + "/api/v1/records/payments/pay-1", POS_TOKEN, "{\"amount\":1}");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json(r).get("error").asText()).isEqualTo("append_only");
  }

  @Test
  void list_pages_byIdWithoutTombstones() throws Exception {
    for (String id : new String[] {"k-1", "k-2", "k-3"}) {
      send("PUT", base + "/api/v1/records/kiosks/" + id, POS_TOKEN, "{\"on\":true}");
    }
    send("DELETE", base + "/api/v1/records/kiosks/k-2", POS_TOKEN, null);

    JsonNode first = json(send("GET", base + "/api/v1/records/kiosks?limit=1", POS_TOKEN, null));
    assertThat(first.get("records").get(0).get("id").asText()).isEqualTo("k-1");
    assertThat(first.get("next_after").asText()).isEqualTo("k-1");
    JsonNode rest = json(send("GET", base + "/api/v1/records/kiosks?after=k-1", POS_TOKEN, null));
    assertThat(rest.get("records")).hasSize(1);
    assertThat(rest.get("records").get(0).get("id").asText()).isEqualTo("k-3");
    assertThat(rest.get("next_after").isNull()).isTrue();
  }

  @Test
  void list_limitOutOfRangeOrNotANumber_is400() throws Exception {
    for (String limit : new String[] {"0", "1001", "ten"}) {
      var r = send("GET", base + "/api/v1/records/orders?limit=" + limit, POS_TOKEN, null);
      assertThat(r.statusCode()).as(limit).isEqualTo(400);
      assertThat(json(r).get("field").asText()).isEqualTo("limit");
    }
  }

  @Test
  void health_withoutToken_isOkAndSaysOffline() throws Exception {
    var r = send("GET", base + "/api/health", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("online").asBoolean()).isFalse();
  }

  @Test
  void unknownEndpoint_is404Json() throws Exception {
    var r = send("GET", base + "/api/v1/nothing-here", POS_TOKEN, null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void syncStatus_showsQueuedOpsByCollection() throws Exception {
    send("PUT", base + "/api/v1/records/time_punches/tp-1", POS_TOKEN, "{\"in\":\"09:00\"}");
    JsonNode s = json(send("GET", base + "/api/v1/sync/status", POS_TOKEN, null));
    assertThat(s.get("location_id").asText()).isEqualTo("loc-1");
    assertThat(s.get("pending_count").asLong()).isEqualTo(edge.outbox().size());
    boolean found = false;
    for (JsonNode q : s.get("queued")) {
      if (q.get("collection").asText().equals("time_punches")) {
        found = true;
        assertThat(q.get("priority").asText()).isEqualTo("high");
        assertThat(q.get("count").asLong()).isGreaterThanOrEqualTo(1);
      }
    }
    assertThat(found).isTrue();
    assertThat(send("POST", base + "/api/v1/sync/trigger", POS_TOKEN, "{}").statusCode())
        .isEqualTo(202);
  }

  @Test
  void metrics_exposeOutboxSizeByCollection() {
    send("PUT", base + "/api/v1/records/orders/o-metrics", POS_TOKEN, "{\"total\":1}");
    var r = send("GET", base + "/metrics", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("edge_sync_queue_size{collection=\"orders\"}")
        .contains("edge_sync_cycles_total")
        .contains("edge_sync_last_success_age_seconds");
  }
}
