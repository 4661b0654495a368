package dev.olympus.edge.realtime;

import static dev.olympus.edge.TestEdges.API_KEY;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's LAN {@code /ws/sync}, offline: terminals of the restaurant see each other at once. */
class LanSocketTest {
  static final String POS_1 = "oly_pos-1-token-abcdefghijklmnopqrstuvwxyz0123456";
  static final String POS_2 = "oly_pos-2-token-abcdefghijklmnopqrstuvwxyz0123456";
  static final String REVOKED = "oly_revoked-token-abcdefghijklmnopqrstuvwxyz01234";

  @TempDir static Path dir;
  static EdgeServer edge;
  static String base;

  @BeforeAll
  static void start() {
    edge = TestEdges.offlineEdge(dir);
    edge.devices()
        .store(
            List.of(
                TestEdges.device("pos-1", "pos_terminal", POS_1, false),
                TestEdges.device("pos-2", "kds", POS_2, false),
                TestEdges.device("pos-3", "pos_terminal", REVOKED, true)));
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterAll
  static void stop() {
    edge.close();
  }

  static TestSocket connect(String token, String device, Long since) throws Exception {
    return TestSocket.connect(edge.port(), token, device, "loc-1", since);
  }

  static JsonNode json(String body) throws Exception {
    return Json.MAPPER.readTree(body);
  }

  @Test
  void write_twoTerminalsOfTheRestaurant_bothSeeEachChangeWithTypeActionSeqAndPrevSeq()
      throws Exception {
    try (TestSocket a = connect(POS_1, "pos-1", null);
        TestSocket b = connect(POS_2, "pos-2", null)) {
      JsonNode welcomeA = a.next();
      JsonNode welcomeB = b.next();
      assertThat(welcomeA.get("type").asText()).isEqualTo("welcome");
      assertThat(welcomeA.get("server").asText()).isEqualTo("edge");
      assertThat(welcomeA.get("stream").asText()).isEqualTo("edge:" + edge.nodeId());
      assertThat(welcomeA.get("restaurant_id").asText()).isEqualTo("loc-1");
      long start = welcomeA.get("latest_seq").asLong();
      assertThat(welcomeB.get("latest_seq").asLong()).isEqualTo(start);

      var put =
          send("PUT", base + "/api/v1/records/orders/o-ws-1", POS_1, "{\"status\":\"pending\"}");
      long version = json(put.body()).get("version").asLong();
      for (TestSocket s : List.of(a, b)) {
        JsonNode f = s.next();
        assertThat(f.get("type").asText()).isEqualTo("order_update");
        assertThat(f.get("action").asText()).isEqualTo("created");
        assertThat(f.get("seq").asLong()).isEqualTo(start + 1);
        assertThat(f.get("prev_seq").asLong()).isEqualTo(start);
        assertThat(f.get("collection").asText()).isEqualTo("orders");
        assertThat(f.get("id").asText()).isEqualTo("o-ws-1");
        assertThat(f.get("version").asLong()).isEqualTo(version);
        assertThat(f.get("origin").asText()).isEqualTo(edge.nodeId());
      }

      send("PATCH", base + "/api/v1/records/orders/o-ws-1", POS_2, "{\"status\":\"ready\"}");
      for (TestSocket s : List.of(a, b)) {
        JsonNode f = s.next();
        assertThat(f.get("action").asText()).isEqualTo("status_changed");
        assertThat(f.get("seq").asLong()).isEqualTo(start + 2);
        assertThat(f.get("prev_seq").asLong()).isEqualTo(start + 1);
        assertThat(f.get("data").get("status").asText()).isEqualTo("ready");
      }
    }
  }

  @Test
  void connect_withSince_replaysLaterChangesInSeqOrderThenGoesLive() throws Exception {
    long since = edge.records().latestLanSeq();
    send("PUT", base + "/api/v1/records/tables/t-ws-1", POS_1, "{\"status\":\"occupied\"}");
    send("PUT", base + "/api/v1/records/tables/t-ws-2", POS_1, "{\"status\":\"available\"}");

    try (TestSocket s = connect(POS_1, "pos-1", since)) {
      assertThat(s.next().get("type").asText()).isEqualTo("welcome");
      JsonNode first = s.next();
      JsonNode second = s.next();
      assertThat(first.get("type").asText()).isEqualTo("table_update");
      assertThat(first.get("id").asText()).isEqualTo("t-ws-1");
      assertThat(first.get("action").asText()).isEqualTo("occupied");
      assertThat(first.get("prev_seq").asLong()).isEqualTo(since);
      assertThat(second.get("prev_seq").asLong()).isEqualTo(first.get("seq").asLong());

      send("PUT", base + "/api/v1/records/tables/t-ws-3", POS_2, "{\"status\":\"cleaning\"}");
      JsonNode live = s.next();
      assertThat(live.get("id").asText()).isEqualTo("t-ws-3");
      assertThat(live.get("prev_seq").asLong()).isEqualTo(second.get("seq").asLong());
    }
  }

  @Test
  void connect_withSince_replayedChangeIsNamedByTheActionTheEdgeStored() throws Exception {
    send("PUT", base + "/api/v1/records/orders/o-replay", POS_1, "{\"status\":\"pending\"}");
    long since = edge.records().latestLanSeq();
    send("PATCH", base + "/api/v1/records/orders/o-replay", POS_2, "{\"status\":\"preparing\"}");

    // Nobody was connected: only the stored action can tell this was a status change.
    try (TestSocket s = connect(POS_1, "pos-1", since)) {
      assertThat(s.next().get("type").asText()).isEqualTo("welcome");
      JsonNode f = s.next();
      assertThat(f.get("id").asText()).isEqualTo("o-replay");
      assertThat(f.get("type").asText()).isEqualTo("order_update");
      assertThat(f.get("action").asText()).isEqualTo("status_changed");
    }
  }

  @Test
  void connect_unknownRevokedOrMissingToken_isClosed4401() throws Exception {
    // A token of another location is unknown to this edge's directory.
    for (String token : new String[] {"oly_other-location-token", REVOKED, null}) {
      try (TestSocket s = connect(token, "pos-1", null)) {
        assertThat(s.closeCode()).as("token %s", token).isEqualTo(4401);
        assertThat(s.closeReason).isNotBlank();
      }
    }
  }

  @Test
  void connect_otherRestaurantOrOtherDevice_isClosed4403() throws Exception {
    try (TestSocket s = TestSocket.connect(edge.port(), POS_1, "pos-1", "loc-2", null)) {
      assertThat(s.closeCode()).isEqualTo(4403);
      assertThat(s.closeReason).contains("loc-1");
    }
    try (TestSocket s = connect(POS_1, "pos-2", null)) {
      assertThat(s.closeCode()).isEqualTo(4403);
      assertThat(s.closeReason).contains("pos-1");
    }
  }

  @Test
  void healthAndRestaurantStatus_countConnectedTerminals() throws Exception {
    try (TestSocket a = connect(POS_1, "pos-1", null);
        TestSocket edgeTool = connect(API_KEY, edge.nodeId(), null)) {
      a.next();
      edgeTool.next();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                JsonNode h = json(send("GET", base + "/api/health", null, null).body());
                assertThat(h.get("status").asText()).isEqualTo("ok");
                assertThat(h.get("connectedRestaurants").asInt()).isEqualTo(1);
                assertThat(h.get("totalConnections").asInt()).isGreaterThanOrEqualTo(2);
                assertThat(h.get("timestamp").asText()).isNotBlank();
              });

      var status = send("GET", base + "/api/restaurants/loc-1/status", POS_1, null);
      assertThat(status.statusCode()).isEqualTo(200);
      JsonNode st = json(status.body());
      assertThat(st.get("restaurant_id").asText()).isEqualTo("loc-1");
      assertThat(st.get("devices").findValuesAsText("device_id")).contains("pos-1", edge.nodeId());

      assertThat(send("GET", base + "/api/restaurants/loc-2/status", POS_1, null).statusCode())
          .isEqualTo(403);
      assertThat(send("GET", base + "/api/restaurants/loc-1/status", null, null).statusCode())
          .isEqualTo(401);
    }
  }
}
