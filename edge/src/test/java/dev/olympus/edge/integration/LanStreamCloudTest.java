package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.store.LanChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's own change stream fed by the real cloud: pulled changes reach LAN terminals. */
class LanStreamCloudTest {
  @TempDir Path dir;

  @BeforeAll
  static void cloudJarPresent() {
    CloudHarness.assumeCloudAvailable();
  }

  @Test
  void pulledChanges_getNewLanSeqsAndReachTerminalSocketsWithTheCloudsVersion() throws Exception {
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0)) {
      cloud.createTenant("t1");
      cloud.createLocation("t1", "loc-1");
      String edgeToken = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      String posToken = cloud.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
      String greenToken = cloud.registerDevice("t1", "loc-1", "pos-2", "pos_terminal");
      try (EdgeServer edge =
          EdgeServer.start(
              TestEdges.settings(dir.resolve("edge"), cloud.url(), edgeToken, "loc-1")
                  .withDeviceId("edge-1"))) {
        edge.syncNow(); // learns the location's devices
        String lan = "http://127.0.0.1:" + edge.port();

        // A local write is numbered; pushing it (applied as written) does not number it again.
        var local =
            TestEdges.send(
                "PUT", lan + "/api/v1/records/orders/o-lan", posToken, "{\"status\":\"pending\"}");
        assertThat(local.statusCode()).isEqualTo(201);
        long afterLocal = edge.records().latestLanSeq();
        edge.syncNow();
        assertThat(edge.outbox().size()).isZero();
        assertThat(edge.records().latestLanSeq()).isEqualTo(afterLocal);

        BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        WebSocket ws =
            HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + posToken)
                .buildAsync(
                    URI.create(
                        "ws://127.0.0.1:"
                            + edge.port()
                            + "/ws/sync?device_id=pos-1&restaurant_id=loc-1&since="
                            + afterLocal),
                    new WebSocket.Listener() {
                      final StringBuilder text = new StringBuilder();

                      @Override
                      public CompletionStage<?> onText(
                          WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                          try {
                            frames.add(Json.MAPPER.readTree(text.toString()));
                          } catch (Exception e) {
                            throw new AssertionError(e);
                          }
                          text.setLength(0);
                        }
                        w.request(1);
                        return null;
                      }
                    })
                .get(10, TimeUnit.SECONDS);
        try {
          assertThat(next(frames).get("type").asText()).isEqualTo("welcome");

          // A terminal in green mode writes to the cloud; the edge pulls it.
          var put =
              TestEdges.send(
                  "PUT",
                  cloud.base() + "/api/v1/records/orders/o-cloud",
                  greenToken,
                  "{\"status\":\"pending\"}");
          assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
          long cloudVersion = Json.MAPPER.readTree(put.body()).get("version").asLong();
          edge.syncNow();

          JsonNode created = next(frames);
          assertThat(created.get("id").asText()).isEqualTo("o-cloud");
          assertThat(created.get("seq").asLong()).isEqualTo(afterLocal + 1);
          assertThat(created.get("prev_seq").asLong()).isEqualTo(afterLocal);
          assertThat(created.get("version").asLong()).isEqualTo(cloudVersion);
          assertThat(created.get("action").asText()).isEqualTo("created");

          var patch =
              TestEdges.send(
                  "PATCH",
                  cloud.base() + "/api/v1/records/orders/o-cloud",
                  greenToken,
                  "{\"status\":\"completed\"}");
          assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
          edge.syncNow();

          JsonNode completed = next(frames);
          assertThat(completed.get("seq").asLong()).isEqualTo(afterLocal + 2);
          assertThat(completed.get("prev_seq").asLong()).isEqualTo(afterLocal + 1);
          assertThat(completed.get("action").asText()).isEqualTo("completed");
          assertThat(completed.get("origin").asText()).isNotEqualTo("edge-1");

          // The edge named the pulled change against what it held, and serves it on the LAN pull.
          List<LanChange> stream = edge.records().changesSince(afterLocal, 10);
          assertThat(stream)
              .singleElement()
              .satisfies(
                  c -> {
                    assertThat(c.kind().action()).isEqualTo("completed");
                    assertThat(c.record().version())
                        .isEqualTo(Json.MAPPER.readTree(patch.body()).get("version").asLong());
                  });
          JsonNode page =
              Json.MAPPER.readTree(
                  TestEdges.send(
                          "GET", lan + "/api/v1/sync/pull?since=" + afterLocal, posToken, null)
                      .body());
          assertThat(page.get("changes")).hasSize(1);
          assertThat(page.get("next_since").asLong()).isEqualTo(afterLocal + 2);
        } finally {
          ws.abort();
        }
      }
    }
  }

  private static JsonNode next(BlockingQueue<JsonNode> frames) throws InterruptedException {
    while (true) {
      JsonNode f = frames.poll(10, TimeUnit.SECONDS);
      assertThat(f).as("a frame within 10 s").isNotNull();
      if (!"heartbeat".equals(f.path("type").asText())) {
        return f;
      }
    }
  }
}
