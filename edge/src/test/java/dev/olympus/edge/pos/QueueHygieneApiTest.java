package dev.olympus.edge.pos;

import static dev.olympus.edge.TestEdges.API_KEY;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.outbox.OutboxEntry;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queue hygiene on the LAN: ops in review, and the sync analytics on {@code /metrics}. */
class QueueHygieneApiTest {
  static final String POS_TOKEN = "oly_pos-terminal-token-abcdefghijklmnopqrstuvwxyz0";
  static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(T0);
  EdgeServer edge;
  String base;

  @BeforeEach
  void start() {
    edge =
        EdgeServer.start(
            TestEdges.settings(dir, TestEdges.DEAD_CLOUD, API_KEY, "loc-1").withClock(clock));
    edge.devices().store(List.of(TestEdges.device("pos-1", "pos_terminal", POS_TOKEN, false)));
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterEach
  void stop() {
    edge.close();
  }

  @Test
  void review_opTheCloudSentToReview_isListedAndTheOpBehindItIsAnswered() throws Exception {
    edge.records().put("orders", "o-bad", Map.of("total", "x"), OptionalLong.empty());
    edge.records().put("orders", "o-good", Map.of("total", "12.50"), OptionalLong.empty());
    List<OutboxEntry> batch = edge.outbox().nextBatch(Outbox.Cursor.START, 10);
    clock.advance(Duration.ofMinutes(3));

    edge.outbox()
        .complete(
            batch,
            List.of(
                new OpResult(
                    batch.get(0).opId(),
                    Outcome.REJECTED,
                    null,
                    null,
                    new ApiError("invalid_field", "total must be an amount", "total"),
                    true),
                new OpResult(batch.get(1).opId(), Outcome.APPLIED, 7L, null, null, null)));
    var r = send("GET", base + "/api/v1/sync/review", POS_TOKEN, null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.get("count").asLong()).isEqualTo(1);
    JsonNode op = body.get("ops").get(0);
    assertThat(op.get("op_id").asText()).isEqualTo(batch.get(0).opId());
    assertThat(op.get("collection").asText()).isEqualTo("orders");
    assertThat(op.get("record_id").asText()).isEqualTo("o-bad");
    assertThat(op.get("attempts").asInt()).isEqualTo(1);
    assertThat(op.get("error").get("error").asText()).isEqualTo("invalid_field");
    assertThat(op.get("error").get("message").asText()).isEqualTo("total must be an amount");
    assertThat(op.get("moved_at").asText()).isEqualTo(T0.plus(Duration.ofMinutes(3)).toString());
    assertThat(edge.outbox().size()).as("neither op waits in the outbox any more").isZero();
  }

  @Test
  void review_withoutTokenOrBadLimit_isRefused() throws Exception {
    var noToken = send("GET", base + "/api/v1/sync/review", null, null);
    var badLimit = send("GET", base + "/api/v1/sync/review?limit=0", POS_TOKEN, null);
    var empty = send("GET", base + "/api/v1/sync/review?limit=5", POS_TOKEN, null);

    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(badLimit.body()).get("field").asText()).isEqualTo("limit");
    assertThat(Json.MAPPER.readTree(badLimit.body()).get("message").asText())
        .contains("from 1 to 1000, was '0'");
    assertThat(Json.MAPPER.readTree(empty.body()).get("count").asLong()).isZero();
    assertThat(Json.MAPPER.readTree(empty.body()).get("ops")).isEmpty();
  }

  @Test
  void metrics_offlineWithQueuedOrders_exposeSeedSyncAnalytics() {
    edge.records().put("orders", "o-1", Map.of("total", "1.00"), OptionalLong.empty());
    edge.records().put("orders", "o-2", Map.of("total", "2.00"), OptionalLong.empty());
    edge.records().put("tables", "t-1", Map.of("seats", 4), OptionalLong.empty());
    assertThatThrownBy(edge::syncNow).isInstanceOf(Exception.class); // the cloud is unreachable
    clock.advance(Duration.ofSeconds(90));

    String scrape = send("GET", base + "/metrics", null, null).body();

    assertThat(scrape)
        .contains("edge_sync_queue_size{collection=\"all\"} 3.0")
        .contains("edge_sync_queue_size{collection=\"orders\"} 2.0")
        .contains("edge_sync_queue_size{collection=\"tables\"} 1.0")
        .contains("edge_sync_last_success 0.0")
        .contains("edge_offline_duration 90.0")
        .contains("edge_local_orders 2.0")
        .contains("edge_sync_cycles_total 1.0")
        .contains("edge_sync_successes_total 0.0")
        .contains("edge_sync_failures_total 1.0")
        .contains("edge_sync_duration_seconds_count 0")
        .contains("edge_sync_average_time_ms 0.0")
        .contains("edge_sync_last_success_age_seconds")
        .contains("edge_sync_dead_letters");
  }
}
