package dev.olympus.cloud.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.cloud.HttpClientSupport;
import dev.olympus.cloud.HttpClientSupport.Resp;
import dev.olympus.cloud.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud's default broker: sensors log in to the cloud's embedded MQTT broker with the
 * credentials their registration answered, and their readings are stored like any other.
 */
class CloudEmbeddedBrokerTest {
  static final String ADMIN = "test-admin-token";
  @TempDir static Path dataDir;
  static CloudServer server;
  static HttpClientSupport http;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(
        Files.isExecutable(Mosquitto.PUB), "Debian's mosquitto-clients is not installed");
    server =
        CloudServer.start(
            CloudSettings.defaults(dataDir)
                .withHost("127.0.0.1")
                .withAdminToken(ADMIN)
                .withIot(IotSettings.defaults().withEmbeddedBroker(0)));
    http = new HttpClientSupport(server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static int publish(String user, String password, String topic, String payload) throws Exception {
    Process p =
        new ProcessBuilder(
                Mosquitto.PUB.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(server.iot().mqttPort()),
                "-V",
                "mqttv5",
                "-u",
                user,
                "-P",
                password,
                "-q",
                "1",
                "-t",
                topic,
                "-m",
                payload)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void aRegisteredSensor_publishesToTheCloudsOwnBroker_andOthersAreRefused() throws Exception {
    String t = TestDatabases.unique("t");
    String l = TestDatabases.unique("loc");
    http.call("POST", "/api/v1/admin/tenants", ADMIN, "{\"id\":\"" + t + "\",\"name\":\"B\"}");
    http.call(
        "POST",
        "/api/v1/admin/tenants/" + t + "/locations",
        ADMIN,
        "{\"id\":\"" + l + "\",\"name\":\"Downtown\"}");
    Resp reg =
        http.call(
            "POST",
            "/api/v1/admin/tenants/" + t + "/iot/devices",
            ADMIN,
            IotHttpTest.cooler("cooler-1", l));
    assertThat(reg.status()).as(reg.body()).isEqualTo(201);
    String password = reg.json().get("mqtt_password").asText();
    String topic = "olympus/" + t + "/" + l + "/sensors/temperature/cooler-1";

    assertThat(publish("cooler-1", password, topic, "{\"value\":35.5,\"unit\":\"F\"}")).isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Resp r =
                  http.call(
                      "GET",
                      "/api/v1/admin/tenants/" + t + "/iot/devices/cooler-1/telemetry?period=1h",
                      ADMIN,
                      null);
              JsonNode readings = r.json().get("readings");
              assertThat(readings).hasSize(1);
              assertThat(readings.get(0).get("value").asDouble()).isEqualTo(35.5);
            });
    assertThat(publish("cooler-1", "wrong", topic, "{\"value\":99}")).isNotZero();
    assertThat(publish("ghost", password, topic, "{\"value\":99}")).isNotZero();
  }
}
