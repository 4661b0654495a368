package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.realtime.TestSocket;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.testing.TwilioRecorder;
import dev.olympus.notify.NotifySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge's IoT hub with real parts: a cloud registers a cooler, config sync brings it (and its
 * MQTT password hash) to the edge, Debian's {@code mosquitto_pub} publishes readings to the hub
 * over MQTT 3.1.1 and 5, and a local server speaking Twilio's REST format receives the texts.
 */
class IotHubCloudTest {
  static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");

  @TempDir Path dir;
  CloudHarness cloud;
  String edgeToken;
  String posToken;
  String mqttPassword;
  TwilioRecorder twilio;
  List<String> texts;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(MOSQUITTO_PUB),
        "Debian's mosquitto-clients is not installed (apt-get install mosquitto-clients)");
    cloud = CloudHarness.start(dir.resolve("cloud"), 0);
    cloud.createTenant("t1");
    cloud.createLocation("t1", "loc-1");
    edgeToken = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
    posToken = cloud.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
    JsonNode cooler =
        cloud.admin(
            "POST",
            "/api/v1/admin/tenants/t1/iot/devices",
            Map.of(
                "device_id", "cooler-1",
                "device_type", "temperature",
                "location_id", "loc-1",
                "name", "Walk-In Cooler",
                "target_min", 32,
                "target_max", 38,
                "unit", "F"));
    mqttPassword = cooler.get("mqtt_password").asText();
    // Nobody is on shift: the location's contact list gets the texts.
    cloud.admin(
        "POST",
        "/api/v1/config/notification_contacts",
        Map.of("id", "maria", "property_id", "loc-1", "name", "Maria", "phone", "+15550001"));
    twilio = TwilioRecorder.start();
    texts = twilio.texts;
  }

  @AfterEach
  void stop() throws Exception {
    if (twilio != null) {
      twilio.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  NotifySettings notifications() {
    return twilio.settings();
  }

  EdgeSettings edgeSettings() {
    return TestEdges.settings(dir.resolve("edge"), cloud.url(), edgeToken, "loc-1")
        .withDeviceId("edge-1")
        .withMqttPort(0);
  }

  EdgeServer startEdge() throws Exception {
    EdgeServer edge = EdgeServer.start(edgeSettings(), notifications());
    edge.syncNow();
    edge.configSyncer().syncNow(dev.olympus.edge.config.SyncKind.FULL);
    return edge;
  }

  /** Publishes readings with mosquitto_pub, one message per line, and waits until it is done. */
  void publish(EdgeServer edge, String version, String topic, List<String> payloads)
      throws Exception {
    Process p =
        new ProcessBuilder(
                MOSQUITTO_PUB.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(edge.mqttPort()),
                "-V",
                version,
                "-i",
                "cooler-1-" + System.nanoTime(),
                "-u",
                "cooler-1",
                "-P",
                mqttPassword,
                "-q",
                "1",
                "-t",
                topic,
                "-l")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream()
        .write((String.join("\n", payloads) + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
  }

  static final String TOPIC = "olympus/t1/loc-1/sensors/temperature/cooler-1";

  /** One reading a minute, {@code minutesAgo} down to {@code untilMinutesAgo}, at {@code value}. */
  static List<String> readings(int minutesAgo, int untilMinutesAgo, double value) {
    long now = System.currentTimeMillis();
    List<String> out = new ArrayList<>();
    for (int m = minutesAgo; m >= untilMinutesAgo; m--) {
      out.add("{\"ts\":" + (now - m * 60_000L) + ",\"value\":" + value + ",\"unit\":\"F\"}");
    }
    return out;
  }

  JsonNode lan(EdgeServer edge, String method, String path, String body) throws Exception {
    var r = TestEdges.send(method, "http://127.0.0.1:" + edge.port() + path, posToken, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void aCoolerAboveItsRange_textsTheContactOnce_withTheCloudDown_andTheReadingsReachTheCloudLater()
      throws Exception {
    try (EdgeServer edge = startEdge()) {
      cloud.close(); // the internet is down from here on
      cloud = null;
      publish(edge, "mqttv311", TOPIC, readings(12, 11, 35.5));
      publish(edge, "mqttv5", TOPIC, readings(10, 0, 41.5));
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(edge.iot().store().count()).isEqualTo(13));
      JsonNode telemetry =
          lan(edge, "GET", "/api/v1/iot/devices/cooler-1/telemetry?period=1h", null);
      assertThat(telemetry.get("resolution").asText()).isEqualTo("raw");
      assertThat(telemetry.get("readings")).hasSize(13);
      assertThat(telemetry.get("readings").get(12).get("value").asDouble()).isEqualTo(41.5);

      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(texts).hasSize(1));
      assertThat(texts.get(0)).contains("To=+15550001").contains("Walk-In Cooler");
      JsonNode alerts = lan(edge, "GET", "/api/v1/iot/alerts", null);
      assertThat(alerts.get("alerts")).hasSize(1);
      JsonNode cooler = lan(edge, "GET", "/api/v1/iot/devices", null).get("devices").get(0);
      assertThat(cooler.get("device_id").asText()).isEqualTo("cooler-1");
      assertThat(cooler.get("status").asText()).isEqualTo("alert");
      assertThat(cooler.get("last_value").asDouble()).isEqualTo(41.5);
      JsonNode alert = alerts.get("alerts").get(0);
      assertThat(alert.get("rule").asText()).isEqualTo("temperature_high");
      assertThat(alert.get("status").asText()).isEqualTo("active");

      // More readings of the same episode: still one text.
      publish(edge, "mqttv5", TOPIC, readings(0, 0, 42));
      Thread.sleep(1500);
      assertThat(texts).hasSize(1);
      JsonNode log = lan(edge, "GET", "/api/v1/iot/notifications", null);
      assertThat(log.get("notifications").get(0).get("channel").asText()).isEqualTo("sms");
      assertThat(log.get("notifications").get(0).get("status").asText()).isEqualTo("sent");

      JsonNode ack =
          lan(
              edge,
              "POST",
              "/api/v1/iot/alerts/" + alert.get("alert_id").asText() + "/acknowledge",
              "{\"by\":\"Maria\"}");
      assertThat(ack.get("status").asText()).isEqualTo("acknowledged");

      // The internet comes back: the readings and the alert reach the cloud.
      cloud = CloudHarness.start(dir.resolve("cloud"), cloudPortOf(edge));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                edge.forwardTelemetryNow();
                var r =
                    TestEdges.send(
                        "GET",
                        cloud.base() + "/api/v1/iot/devices/cooler-1/telemetry?period=1h",
                        posToken,
                        null);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(r.body()).get("readings")).hasSize(14);
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                edge.forwardTelemetryNow();
                var r = TestEdges.send("GET", cloud.base() + "/api/v1/iot/alerts", posToken, null);
                JsonNode inCloud = Json.MAPPER.readTree(r.body()).get("alerts");
                assertThat(inCloud).hasSize(1);
                assertThat(inCloud.get(0).get("status").asText()).isEqualTo("acknowledged");
              });
      assertThat(edge.iot().store().unforwarded()).isZero();
    }
  }

  int cloudPortOf(EdgeServer edge) {
    return edge.settings().cloudUrl().getPort();
  }

  @Test
  void aRestartInTheMiddleOfTheMinimumDuration_neitherLosesNorRestartsTheTimer() throws Exception {
    long firstTs;
    try (EdgeServer edge = startEdge()) {
      List<String> first = readings(11, 6, 40);
      firstTs = Json.MAPPER.readTree(first.get(0)).get("ts").asLong();
      publish(edge, "mqttv5", TOPIC, first);
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(edge.iot().store().count()).isEqualTo(6));
      assertThat(lan(edge, "GET", "/api/v1/iot/alerts", null).get("alerts")).isEmpty();
      assertThat(
              lan(edge, "GET", "/api/v1/iot/devices", null)
                  .get("devices")
                  .get(0)
                  .get("status")
                  .asText())
          .as("above range, but not yet for the minimum duration")
          .isEqualTo("ok");
    }
    try (EdgeServer edge = startEdge()) {
      publish(edge, "mqttv5", TOPIC, readings(5, 0, 40));
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(texts).hasSize(1));
      JsonNode alert = lan(edge, "GET", "/api/v1/iot/alerts", null).get("alerts").get(0);
      assertThat(java.time.Instant.parse(alert.get("started_at").asText()).toEpochMilli())
          .isEqualTo(firstTs);
    }
    // And a restart with the alert open texts nobody again.
    try (EdgeServer edge = startEdge()) {
      publish(edge, "mqttv5", TOPIC, readings(0, 0, 41));
      Thread.sleep(1500);
      assertThat(texts).hasSize(1);
    }
  }

  @Test
  void badPayloadsAndOtherTopics_areCountedAndLogged_neverStored_andTheHubCarriesOn()
      throws Exception {
    try (EdgeServer edge = startEdge()) {
      publish(
          edge,
          "mqttv5",
          TOPIC,
          List.of("{not json", "{\"value\":\"warm\"}", "{\"ts\":1,\"unit\":\"F\"}", "[]"));
      // Another device's topic and another tenant's: the broker drops them (not this login's).
      Process other =
          new ProcessBuilder(
                  MOSQUITTO_PUB.toString(),
                  "-h",
                  "127.0.0.1",
                  "-p",
                  String.valueOf(edge.mqttPort()),
                  "-V",
                  "mqttv311",
                  "-u",
                  "cooler-1",
                  "-P",
                  mqttPassword,
                  "-q",
                  "0",
                  "-t",
                  "olympus/t2/loc-9/sensors/temperature/cooler-1",
                  "-m",
                  "{\"value\":99}")
              .redirectErrorStream(true)
              .start();
      other.waitFor(30, TimeUnit.SECONDS);
      Process wrongPassword =
          new ProcessBuilder(
                  MOSQUITTO_PUB.toString(),
                  "-h",
                  "127.0.0.1",
                  "-p",
                  String.valueOf(edge.mqttPort()),
                  "-u",
                  "cooler-1",
                  "-P",
                  "guess",
                  "-t",
                  TOPIC,
                  "-m",
                  "{\"value\":99}")
              .redirectErrorStream(true)
              .start();
      assertThat(wrongPassword.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(wrongPassword.exitValue()).isNotZero();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(edge.iot().rejected().get("bad_payload")).isEqualTo(4L));
      assertThat(edge.iot().broker().stats().refusedTopics()).isEqualTo(1);
      assertThat(edge.iot().broker().stats().refusedLogins()).isEqualTo(1);
      // Good readings still flow.
      publish(edge, "mqttv5", TOPIC, readings(0, 0, 36));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(edge.iot().store().count()).isEqualTo(1));
      var metrics =
          TestEdges.send("GET", "http://127.0.0.1:" + edge.port() + "/metrics", posToken, null);
      assertThat(metrics.body()).contains("olympus_iot_rejected_bad_payload 4.0");
    }
  }

  @Test
  void aDoorOpenPastFiveMinutes_isAStaffNotice_onTheRestaurantsScreens() throws Exception {
    JsonNode door =
        cloud.admin(
            "POST",
            "/api/v1/admin/tenants/t1/iot/devices",
            Map.of(
                "device_id", "door-1",
                "device_type", "door",
                "location_id", "loc-1",
                "name", "Walk-In Door"));
    String doorPassword = door.get("mqtt_password").asText();
    try (EdgeServer edge = startEdge();
        TestSocket screen = TestSocket.connect(edge.port(), posToken, "pos-1", "loc-1", null)) {
      // Opened six minutes ago, and the sensor says it is still open now.
      long now = System.currentTimeMillis();
      Process p =
          new ProcessBuilder(
                  MOSQUITTO_PUB.toString(),
                  "-h",
                  "127.0.0.1",
                  "-p",
                  String.valueOf(edge.mqttPort()),
                  "-u",
                  "door-1",
                  "-P",
                  doorPassword,
                  "-q",
                  "1",
                  "-t",
                  "olympus/t1/loc-1/sensors/door/door-1",
                  "-l")
              .redirectErrorStream(true)
              .start();
      String lines =
          "{\"ts\":"
              + (now - 6 * 60_000L)
              + ",\"open\":true}\n{\"ts\":"
              + now
              + ",\"open\":true}\n";
      p.getOutputStream().write(lines.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      JsonNode frame = screen.next();
      while (!frame.path("type").asText().equals("staff_notice")) {
        frame = screen.next();
      }
      assertThat(frame.get("event").asText()).isEqualTo("raised");
      assertThat(frame.get("message").asText()).contains("Walk-In Door");
      assertThat(texts).as("a door is the staff's business, not a text to the manager").isEmpty();
    }
  }

  @Test
  void theLanApi_refusesBadInput_withTheField() throws Exception {
    try (EdgeServer edge = startEdge()) {
      String base = "http://127.0.0.1:" + edge.port();
      var badPeriod =
          TestEdges.send(
              "GET",
              base + "/api/v1/iot/devices/cooler-1/telemetry?period=forever",
              posToken,
              null);
      assertThat(badPeriod.statusCode()).isEqualTo(400);
      assertThat(badPeriod.body()).contains("period");
      var unknown =
          TestEdges.send("GET", base + "/api/v1/iot/devices/nope/telemetry", posToken, null);
      assertThat(unknown.statusCode()).isEqualTo(404);
      var noToken = TestEdges.send("GET", base + "/api/v1/iot/devices", null, null);
      assertThat(noToken.statusCode()).isEqualTo(401);
      var malformed =
          TestEdges.send("POST", base + "/api/v1/iot/alerts/a1/acknowledge", posToken, "{not json");
      assertThat(malformed.statusCode()).isEqualTo(400);
      var missing =
          TestEdges.send("POST", base + "/api/v1/iot/alerts/a1/acknowledge", posToken, "{}");
      assertThat(missing.statusCode()).isEqualTo(400);
      assertThat(missing.body()).contains("by");
      var wrongType =
          TestEdges.send(
              "POST", base + "/api/v1/iot/alerts/a1/acknowledge", posToken, "{\"by\":5}");
      assertThat(wrongType.statusCode()).isEqualTo(400);
      var noAlert =
          TestEdges.send(
              "POST", base + "/api/v1/iot/alerts/a1/acknowledge", posToken, "{\"by\":\"Maria\"}");
      assertThat(noAlert.statusCode()).isEqualTo(404);
      var huge =
          TestEdges.send(
              "POST",
              base + "/api/v1/iot/alerts/a1/acknowledge",
              posToken,
              "{\"by\":\"" + "x".repeat(100_000) + "\"}");
      assertThat(huge.statusCode()).isEqualTo(413);
      JsonNode devices = lan(edge, "GET", "/api/v1/iot/devices", null);
      assertThat(devices.get("devices")).hasSize(1);
      assertThat(devices.get("devices").get(0).get("status").asText()).isEqualTo("unknown");
    }
  }

  static {
    try {
      // keep the JDK's HTTP server quiet about its own threads in the test log
      java.util.logging.Logger.getLogger("com.sun.net.httpserver")
          .setLevel(java.util.logging.Level.WARNING);
    } catch (RuntimeException e) {
      // logging only
    }
  }

  static void ignore(IOException e) {}
}
