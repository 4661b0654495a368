package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.iot.TelemetryForwarder;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.testing.ShiftedClock;
import dev.olympus.edge.testing.TwilioRecorder;
import dev.olympus.notify.NotifySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert the edge raised, acknowledged or resolved by a manager in the cloud: the edge learns it
 * on its next forwarder pass and stops escalating. A real cloud and a real edge on loopback,
 * readings published with Debian's {@code mosquitto_pub}, texts received by a local server speaking
 * Twilio's REST format. The edge's clock runs two hours behind the cloud's and the test moves it
 * forward, so the 30 minutes of escalation pass without waiting.
 */
class IotAlertsClosedInTheCloudTest {
  static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");

  @TempDir Path dir;
  CloudHarness cloud;
  String edgeToken;
  String posToken;
  final Map<String, String> passwords = new java.util.HashMap<>();
  TwilioRecorder twilio;
  List<String> texts;
  final ShiftedClock clock = new ShiftedClock(Duration.ofHours(-2));

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
    registerCooler("cooler-1", "loc-1");
    registerCooler("cooler-2", "loc-1");
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

  void registerCooler(String deviceId, String location) throws Exception {
    JsonNode cooler =
        cloud.admin(
            "POST",
            "/api/v1/admin/tenants/t1/iot/devices",
            Map.of(
                "device_id",
                deviceId,
                "device_type",
                "temperature",
                "location_id",
                location,
                "name",
                "Walk-In Cooler " + deviceId,
                "target_min",
                32,
                "target_max",
                38,
                "unit",
                "F"));
    passwords.put(deviceId, cooler.get("mqtt_password").asText());
  }

  EdgeServer startEdge() throws Exception {
    EdgeSettings settings =
        TestEdges.settings(dir.resolve("edge"), cloud.url(), edgeToken, "loc-1")
            .withDeviceId("edge-1")
            .withMqttPort(0)
            .withClock(clock);
    NotifySettings notify = twilio.settings();
    EdgeServer edge = EdgeServer.start(settings, notify);
    edge.syncNow();
    edge.configSyncer().syncNow(dev.olympus.edge.config.SyncKind.FULL);
    return edge;
  }

  /** Publishes {@code value} as the cooler's reading at each of the edge's times, and waits. */
  void publish(EdgeServer edge, String deviceId, double value, List<Long> times) throws Exception {
    long before = edge.iot().store().count();
    Process p =
        new ProcessBuilder(
                MOSQUITTO_PUB.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(edge.mqttPort()),
                "-V",
                "mqttv5",
                "-i",
                deviceId + "-" + System.nanoTime(),
                "-u",
                deviceId,
                "-P",
                passwords.get(deviceId),
                "-q",
                "1",
                "-t",
                "olympus/t1/loc-1/sensors/temperature/" + deviceId,
                "-l")
            .redirectErrorStream(true)
            .start();
    StringBuilder lines = new StringBuilder();
    for (long ts : times) {
      lines.append("{\"ts\":").append(ts).append(",\"value\":").append(value).append("}\n");
    }
    p.getOutputStream().write(lines.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> assertThat(edge.iot().store().count()).isEqualTo(before + times.size()));
  }

  /**
   * Raises a temperature_high alert on the cooler: eleven minutes above its range, one reading a
   * minute up to the edge's now. Returns the alert's id, once the manager has been texted.
   */
  String raiseAlert(EdgeServer edge, String deviceId, int textsBefore) throws Exception {
    long now = clock.millis();
    List<Long> times = new java.util.ArrayList<>();
    for (int m = 11; m >= 0; m--) {
      times.add(now - m * 60_000L);
    }
    publish(edge, deviceId, 41.5, times);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(texts).hasSize(textsBefore + 1));
    return edgeAlert(edge, deviceId).get("alert_id").asText();
  }

  /**
   * Moves the edge's clock on in ten-minute steps, the cooler reporting {@code value} each time.
   */
  void pass(EdgeServer edge, int minutes, String deviceId, double value) throws Exception {
    for (int m = 0; m < minutes; m += 10) {
      clock.advance(Duration.ofMinutes(10));
      publish(edge, deviceId, value, List.of(clock.millis()));
    }
  }

  long escalations() {
    return texts.stream().filter(t -> t.contains("ESCALATED")).count();
  }

  JsonNode edgeAlert(EdgeServer edge, String deviceId) throws Exception {
    var r =
        TestEdges.send(
            "GET",
            "http://127.0.0.1:" + edge.port() + "/api/v1/iot/alerts?status=all",
            posToken,
            null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (JsonNode a : Json.MAPPER.readTree(r.body()).get("alerts")) {
      if (a.get("device_id").asText().equals(deviceId)) {
        return a;
      }
    }
    throw new AssertionError("no alert of " + deviceId + " on the edge: " + r.body());
  }

  JsonNode cloudAlert(String alertId) throws Exception {
    var r =
        TestEdges.send(
            "GET", cloud.base() + "/api/v1/iot/alerts?status=all&ids=" + alertId, posToken, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode alerts = Json.MAPPER.readTree(r.body()).get("alerts");
    assertThat(alerts).as("alert %s in the cloud", alertId).hasSize(1);
    return alerts.get(0);
  }

  /** Forwards until the cloud has the alert in {@code status}. */
  void forwardUntilTheCloudHas(EdgeServer edge, String alertId, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              edge.forwardTelemetryNow();
              assertThat(cloudAlert(alertId).get("status").asText()).isEqualTo(status);
            });
  }

  JsonNode inCloud(String method, String alertId, String action, String by, int expected)
      throws Exception {
    var r =
        TestEdges.send(
            method,
            cloud.base() + "/api/v1/iot/alerts/" + alertId + "/" + action,
            posToken,
            "{\"by\":\"" + by + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
    return Json.MAPPER.readTree(r.body());
  }

  JsonNode onEdge(EdgeServer edge, String alertId, String action, String by) throws Exception {
    var r =
        TestEdges.send(
            "POST",
            "http://127.0.0.1:" + edge.port() + "/api/v1/iot/alerts/" + alertId + "/" + action,
            posToken,
            "{\"by\":\"" + by + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void anAlertAcknowledgedInTheCloud_isAcknowledgedOnTheEdge_andStopsEscalating() throws Exception {
    try (EdgeServer edge = startEdge()) {
      String alertId = raiseAlert(edge, "cooler-1", 0);
      // Unacknowledged, it escalates after 30 minutes: the manager is texted again.
      pass(edge, 40, "cooler-1", 41.5);
      await().atMost(Duration.ofSeconds(15)).until(() -> escalations() == 1);
      forwardUntilTheCloudHas(edge, alertId, "active");

      JsonNode ack = inCloud("POST", alertId, "acknowledge", "Maria", 200);
      TelemetryForwarder.Pass pass = edge.forwardTelemetryNow().orElseThrow();
      assertThat(pass.closedInCloud()).isEqualTo(1);
      JsonNode onEdge = edgeAlert(edge, "cooler-1");
      assertThat(onEdge.get("status").asText()).isEqualTo("acknowledged");
      assertThat(onEdge.get("acknowledged_by").asText()).isEqualTo("Maria");
      // Applied once: the next pass finds nothing new.
      assertThat(edge.forwardTelemetryNow().orElseThrow().closedInCloud()).isZero();

      // Another hour of the cooler still too warm: no more escalations.
      pass(edge, 60, "cooler-1", 41.5);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> escalations() == 1);
      assertThat(edgeAlert(edge, "cooler-1").get("status").asText()).isEqualTo("acknowledged");

      // The edge's row went back to the cloud, which kept its own who and when.
      edge.forwardTelemetryNow();
      JsonNode there = cloudAlert(alertId);
      assertThat(there.get("status").asText()).isEqualTo("acknowledged");
      assertThat(there.get("acknowledged_by").asText()).isEqualTo("Maria");
      assertThat(there.get("acknowledged_at").asText())
          .isEqualTo(ack.get("acknowledged_at").asText());
      assertThat(edge.iot().store().alertStatus(alertId)).contains("acknowledged");
    }
  }

  @Test
  void anAlertResolvedInTheCloud_isResolvedOnTheEdge_andNeitherEscalatesNorComesBack()
      throws Exception {
    try (EdgeServer edge = startEdge()) {
      String alertId = raiseAlert(edge, "cooler-1", 0);
      forwardUntilTheCloudHas(edge, alertId, "active");
      inCloud("POST", alertId, "resolve", "Ana", 200);
      assertThat(edge.forwardTelemetryNow().orElseThrow().closedInCloud()).isEqualTo(1);
      JsonNode onEdge = edgeAlert(edge, "cooler-1");
      assertThat(onEdge.get("status").asText()).isEqualTo("resolved");
      assertThat(onEdge.get("acknowledged_by").asText()).isEqualTo("Ana");
      assertThat(onEdge.get("resolved_at").isNull()).isFalse();

      // The cooler is back in its range: an hour on, no escalation and no new episode.
      pass(edge, 60, "cooler-1", 36);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> texts.size() == 1);
      edge.forwardTelemetryNow();
      assertThat(cloudAlert(alertId).get("status").asText()).isEqualTo("resolved");
      assertThat(edgeAlert(edge, "cooler-1").get("status").asText()).isEqualTo("resolved");
    }
  }

  @Test
  void anAcknowledgementMadeWhileTheEdgeIsCutOff_reachesItWhenItReconnects() throws Exception {
    String alertId;
    try (EdgeServer edge = startEdge()) {
      alertId = raiseAlert(edge, "cooler-1", 0);
      forwardUntilTheCloudHas(edge, alertId, "active");
    }
    // The restaurant's server is off the network; the manager acknowledges on the dashboard, and
    // the cloud itself restarts before the edge is back.
    JsonNode ack = inCloud("POST", alertId, "acknowledge", "Maria", 200);
    int port = cloud.port;
    cloud.close();
    cloud = CloudHarness.start(dir.resolve("cloud"), port);
    try (EdgeServer edge = startEdge()) {
      assertThat(edgeAlert(edge, "cooler-1").get("status").asText()).isEqualTo("active");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                edge.forwardTelemetryNow();
                assertThat(edgeAlert(edge, "cooler-1").get("status").asText())
                    .isEqualTo("acknowledged");
              });
      assertThat(edgeAlert(edge, "cooler-1").get("acknowledged_by").asText()).isEqualTo("Maria");
      pass(edge, 40, "cooler-1", 41.5);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> escalations() == 0);
      edge.forwardTelemetryNow();
      assertThat(cloudAlert(alertId).get("acknowledged_at").asText())
          .isEqualTo(ack.get("acknowledged_at").asText());
    }
  }

  @Test
  void whileTheCloudIsDown_theEdgeEscalates_andAnAcknowledgementMadeMeanwhileStopsItOnReconnect()
      throws Exception {
    try (EdgeServer edge = startEdge()) {
      String alertId = raiseAlert(edge, "cooler-1", 0);
      forwardUntilTheCloudHas(edge, alertId, "active");
      int port = cloud.port;
      cloud.close(); // the internet is down
      cloud = null;
      assertThat(edge.forwardTelemetryNow().orElseThrow().reachable()).isFalse();
      pass(edge, 40, "cooler-1", 41.5);
      await().atMost(Duration.ofSeconds(15)).until(() -> escalations() == 1);

      // The cloud is back; the manager acknowledges before the edge's next pass.
      cloud = CloudHarness.start(dir.resolve("cloud"), port);
      JsonNode ack = inCloud("POST", alertId, "acknowledge", "Maria", 200);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                edge.forwardTelemetryNow();
                assertThat(edgeAlert(edge, "cooler-1").get("status").asText())
                    .isEqualTo("acknowledged");
              });
      assertThat(edgeAlert(edge, "cooler-1").get("acknowledged_by").asText()).isEqualTo("Maria");
      pass(edge, 40, "cooler-1", 41.5);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> escalations() == 1);
      edge.forwardTelemetryNow();
      JsonNode there = cloudAlert(alertId);
      assertThat(there.get("acknowledged_by").asText()).isEqualTo("Maria");
      assertThat(there.get("acknowledged_at").asText())
          .isEqualTo(ack.get("acknowledged_at").asText());
      assertThat(there.get("escalations").asInt()).isEqualTo(1);
    }
  }

  @Test
  void theEdgeAsksTheCloudAboutItsOpenAlertsOnly_andNothingWhenNoneIsOpen() throws Exception {
    try (EdgeServer edge = startEdge()) {
      publish(edge, "cooler-1", 36, List.of(clock.millis() - 20 * 60_000L));
      TelemetryForwarder.Pass quiet = edge.forwardTelemetryNow().orElseThrow();
      assertThat(quiet.reachable()).isTrue();
      assertThat(quiet.acknowledged()).isEqualTo(1);
      assertThat(quiet.alertQueries()).isZero();

      String alertId = raiseAlert(edge, "cooler-1", 0);
      TelemetryForwarder.Pass open = edge.forwardTelemetryNow().orElseThrow();
      assertThat(open.alertQueries()).isEqualTo(1);
      assertThat(open.closedInCloud()).isZero();

      onEdge(edge, alertId, "resolve", "Joe");
      TelemetryForwarder.Pass closed = edge.forwardTelemetryNow().orElseThrow();
      assertThat(closed.alertQueries()).isZero();
      assertThat(cloudAlert(alertId).get("status").asText()).isEqualTo("resolved");
      assertThat(cloudAlert(alertId).get("acknowledged_by").asText()).isEqualTo("Joe");
    }
  }

  @Test
  void anAlertClosedOnTheEdgeAndInTheCloudBoth_neverGoesBackwards() throws Exception {
    try (EdgeServer edge = startEdge()) {
      String first = raiseAlert(edge, "cooler-1", 0);
      String second = raiseAlert(edge, "cooler-2", 1);
      forwardUntilTheCloudHas(edge, first, "active");
      forwardUntilTheCloudHas(edge, second, "active");

      // Both acknowledged, each side before hearing of the other: each keeps its own who.
      onEdge(edge, first, "acknowledge", "Joe");
      inCloud("POST", first, "acknowledge", "Maria", 200);
      // Resolved on the edge, acknowledged in the cloud: resolved wins on both sides.
      onEdge(edge, second, "resolve", "Joe");
      inCloud("POST", second, "acknowledge", "Maria", 200);

      TelemetryForwarder.Pass pass = edge.forwardTelemetryNow().orElseThrow();
      assertThat(pass.closedInCloud()).isZero();
      JsonNode one = edgeAlert(edge, "cooler-1");
      assertThat(one.get("status").asText()).isEqualTo("acknowledged");
      assertThat(one.get("acknowledged_by").asText()).isEqualTo("Joe");
      assertThat(cloudAlert(first).get("status").asText()).isEqualTo("acknowledged");
      assertThat(cloudAlert(first).get("acknowledged_by").asText()).isEqualTo("Maria");
      JsonNode two = edgeAlert(edge, "cooler-2");
      assertThat(two.get("status").asText()).isEqualTo("resolved");
      assertThat(two.get("acknowledged_by").asText()).isEqualTo("Joe");
      assertThat(cloudAlert(second).get("status").asText()).isEqualTo("resolved");
      assertThat(cloudAlert(second).get("acknowledged_by").asText()).isEqualTo("Maria");

      // Then the cloud resolves the first: the edge follows; nothing goes back afterwards.
      inCloud("POST", first, "resolve", "Maria", 200);
      inCloud("POST", first, "acknowledge", "Maria", 409);
      assertThat(edge.forwardTelemetryNow().orElseThrow().closedInCloud()).isEqualTo(1);
      assertThat(edgeAlert(edge, "cooler-1").get("status").asText()).isEqualTo("resolved");
      assertThat(edgeAlert(edge, "cooler-1").get("acknowledged_by").asText()).isEqualTo("Joe");
      edge.forwardTelemetryNow();
      assertThat(cloudAlert(first).get("status").asText()).isEqualTo("resolved");
      assertThat(edge.forwardTelemetryNow().orElseThrow().closedInCloud()).isZero();
    }
  }

  @Test
  void anotherLocationsAlerts_areNeverApplied() throws Exception {
    cloud.createLocation("t1", "loc-2");
    String otherEdge = cloud.registerDevice("t1", "loc-2", "edge-2", "olympus_edge");
    try (EdgeServer edge = startEdge()) {
      String alertId = raiseAlert(edge, "cooler-1", 0);
      forwardUntilTheCloudHas(edge, alertId, "active");
      JsonNode mine = cloudAlert(alertId);

      // Another restaurant's edge sends an alert of its own, acknowledged there, and one under
      // this edge's alert id, resolved: neither reaches this edge, and the cloud's copy of this
      // edge's alert is untouched.
      String theirs =
          ((com.fasterxml.jackson.databind.node.ObjectNode) mine.deepCopy())
              .put("alert_id", "alert-of-loc-2")
              .put("status", "acknowledged")
              .put("acknowledged_by", "Mallory")
              .put("acknowledged_at", Instant.now().toString())
              .toString();
      String forged =
          ((com.fasterxml.jackson.databind.node.ObjectNode) mine.deepCopy())
              .put("status", "resolved")
              .put("acknowledged_by", "Mallory")
              .put("resolved_at", Instant.now().toString())
              .toString();
      var r =
          TestEdges.send(
              "POST",
              cloud.base() + "/api/v1/iot/telemetry/batches",
              otherEdge,
              "{\"batch_id\":\"loc-2:alerts:1\",\"events\":[],\"alerts\":["
                  + theirs
                  + ","
                  + forged
                  + "]}",
              "Content-Type",
              "application/json");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

      assertThat(edge.forwardTelemetryNow().orElseThrow().closedInCloud()).isZero();
      assertThat(edgeAlert(edge, "cooler-1").get("status").asText()).isEqualTo("active");
      assertThat(cloudAlert(alertId).get("status").asText()).isEqualTo("active");
      assertThat(edge.iot().store().alertStatus("alert-of-loc-2")).isEmpty();
    }
  }
}
