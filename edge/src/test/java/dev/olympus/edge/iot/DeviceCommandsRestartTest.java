package dev.olympus.edge.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.TestEdges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command stored before a restart of the edge is still there after it: a retry with the same
 * Idempotency-Key answers it, and Debian's {@code mosquitto_pub} (MQTT 3.1.1) acknowledges it. A
 * class of its own: the two edges here run one after the other, never beside another test's broker.
 */
class DeviceCommandsRestartTest {
  static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");

  @TempDir Path dir;

  @Test
  void aCommandSurvivesARestartOfTheEdge_andMosquittoPubAnswersItAfterwards() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(MOSQUITTO_PUB), "Debian's mosquitto-clients is not installed");
    Path data = dir;
    String id;
    try (EdgeServer first = DeviceCommandsTest.startEdge(data)) {
      var r =
          TestEdges.send(
              "POST",
              "http://127.0.0.1:" + first.port() + "/api/v1/iot/devices/hvac-1/commands",
              RestaurantFixtures.POS_TOKEN,
              "{\"action\":\"set_point\",\"value\":72}",
              "Idempotency-Key",
              "restart-1");
      id = DeviceCommandsTest.ok(r, 202).get("command_id").asText();
    }
    try (EdgeServer second = DeviceCommandsTest.startEdge(data)) {
      String url = "http://127.0.0.1:" + second.port();
      // The retry after the restart answers the stored command, not a new one.
      var again =
          TestEdges.send(
              "POST",
              url + "/api/v1/iot/devices/hvac-1/commands",
              RestaurantFixtures.POS_TOKEN,
              "{\"action\":\"set_point\",\"value\":72}",
              "Idempotency-Key",
              "restart-1");
      assertThat(DeviceCommandsTest.ok(again, 202).get("command_id").asText()).isEqualTo(id);
      Process p =
          new ProcessBuilder(
                  MOSQUITTO_PUB.toString(),
                  "-h",
                  "127.0.0.1",
                  "-p",
                  String.valueOf(second.mqttPort()),
                  "-V",
                  "mqttv311",
                  "-u",
                  "hvac-1",
                  "-P",
                  DeviceCommandsTest.HVAC_PASSWORD,
                  "-q",
                  "1",
                  "-t",
                  DeviceCommandsTest.PREFIX + "hvac-1/ack",
                  "-m",
                  "{\"command_id\":\"" + id + "\",\"status\":\"ok\",\"message\":\"set\"}")
              .redirectErrorStream(true)
              .start();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue())
          .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isZero();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode c =
                    RestaurantFixtures.json(
                        TestEdges.send(
                            "GET",
                            url + "/api/v1/iot/commands/" + id,
                            RestaurantFixtures.POS_TOKEN,
                            null));
                assertThat(c.get("status").asText()).isEqualTo("acknowledged");
                assertThat(c.get("message").asText()).isEqualTo("set");
              });
    }
  }
}
