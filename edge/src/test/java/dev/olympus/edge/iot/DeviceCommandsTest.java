package dev.olympus.edge.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.config.ConfigFixtures;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.testing.ShiftedClock;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands to equipment through the edge's LAN API, with real parts: the edge's embedded broker,
 * devices connected with the HiveMQ MQTT client (and Debian's {@code mosquitto_pub}) under their
 * own credentials, the hub's SQLite store, HTTP on loopback. The edge's clock can be moved forward,
 * so the 60 s acknowledgement timeout passes without waiting for it.
 */
class DeviceCommandsTest {
  static final String HVAC_PASSWORD = "hvac-secret-1";
  static final String COOLER_PASSWORD = "cooler-secret-2";
  static final String SENSOR_PASSWORD = "temp-secret-3";
  static final String PREFIX = "olympus/t1/loc-1/commands/";

  @TempDir static Path dir;
  static final ShiftedClock clock = new ShiftedClock(Duration.ZERO);
  static EdgeServer edge;
  static String base;

  @BeforeAll
  static void start() {
    edge = startEdge(dir.resolve("edge"));
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  static EdgeServer startEdge(Path dataDir) {
    EdgeServer e =
        EdgeServer.start(
            TestEdges.settings(dataDir, TestEdges.DEAD_CLOUD, TestEdges.API_KEY, "loc-1")
                .withMqttPort(0)
                .withClock(clock));
    e.devices()
        .store(
            List.of(
                TestEdges.device("pos-1", "pos_terminal", RestaurantFixtures.POS_TOKEN, false)));
    FullSyncPayload p = RestaurantFixtures.payload(1);
    Map<String, List<Map<String, Object>>> entities = new LinkedHashMap<>(p.entities());
    entities.put(
        "iot_devices",
        List.of(
            device("hvac-1", "hvac", "Dining Room HVAC", HVAC_PASSWORD),
            device("cooler-2", "cooler", "Walk-In Compressor", COOLER_PASSWORD),
            device("temp-1", "temperature", "Walk-In Cooler", SENSOR_PASSWORD),
            ranged(device("cooler-9", "temperature", "Reach-In Cooler", SENSOR_PASSWORD))));
    ConfigFixtures.load(
        e,
        new FullSyncPayload(
            p.version(), p.timestamp(), p.propertyId(), p.enterprise(), p.property(), entities));
    await().atMost(Duration.ofSeconds(10)).until(() -> e.iot().devices().size() == 4);
    return e;
  }

  static Map<String, Object> device(String id, String type, String name, String password) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("id", id);
    d.put("device_id", id);
    d.put("device_type", type);
    d.put("name", name);
    d.put("property_id", "loc-1");
    d.put("mqtt_password_hash", BCrypt.withDefaults().hashToString(4, password.toCharArray()));
    return d;
  }

  /** A temperature sensor with a 32–38 °F target range (its alerts fire). */
  static Map<String, Object> ranged(Map<String, Object> device) {
    device.put("target_min", 32);
    device.put("target_max", 38);
    device.put("unit", "F");
    return device;
  }

  static Mqtt5BlockingClient connect(EdgeServer e, String user, String password) {
    Mqtt5BlockingClient c =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(user + "-" + System.nanoTime())
            .serverHost("127.0.0.1")
            .serverPort(e.mqttPort())
            .buildBlocking();
    c.connectWith()
        .simpleAuth()
        .username(user)
        .password(password.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    return c;
  }

  static Mqtt5BlockingClient.Mqtt5Publishes subscribe(Mqtt5BlockingClient c, String deviceId) {
    Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL);
    c.subscribeWith().topicFilter(PREFIX + deviceId + "/action").qos(MqttQos.AT_LEAST_ONCE).send();
    return publishes;
  }

  static void ack(Mqtt5BlockingClient c, String deviceId, String payload) {
    c.publishWith()
        .topic(PREFIX + deviceId + "/ack")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .send();
  }

  static JsonNode received(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws Exception {
    Optional<Mqtt5Publish> msg = publishes.receive(10, TimeUnit.SECONDS);
    assertThat(msg).as("a command on the device's action topic").isPresent();
    assertThat(msg.get().isRetain()).isFalse();
    assertThat(msg.get().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
    return Json.MAPPER.readTree(msg.get().getPayloadAsBytes());
  }

  static HttpResponse<String> send(String method, String path, String body, String... headers) {
    return TestEdges.send(method, base + path, RestaurantFixtures.POS_TOKEN, body, headers);
  }

  static JsonNode ok(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return RestaurantFixtures.json(r);
  }

  static JsonNode command(String commandId) {
    return ok(send("GET", "/api/v1/iot/commands/" + commandId, null), 200);
  }

  static void awaitStatus(String commandId, String status) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(command(commandId).get("status").asText()).isEqualTo(status));
  }

  @Test
  void aCommand_reachesTheDevice_whichAcknowledges_andTheApiShowsIt() throws Exception {
    Mqtt5BlockingClient hvac = connect(edge, "hvac-1", HVAC_PASSWORD);
    try {
      var publishes = subscribe(hvac, "hvac-1");
      JsonNode sent =
          ok(
              send(
                  "POST",
                  "/api/v1/iot/devices/hvac-1/commands",
                  "{\"action\":\"set_point\",\"value\":36,\"params\":{\"mode\":\"cool\"}}"),
              202);
      String id = sent.get("command_id").asText();
      assertThat(sent.get("device_id").asText()).isEqualTo("hvac-1");
      assertThat(sent.get("action").asText()).isEqualTo("set_point");
      assertThat(sent.get("status").asText()).isEqualTo("sent");
      assertThat(sent.get("issued_at").asText()).isNotEmpty();

      JsonNode onWire = received(publishes);
      assertThat(onWire.get("command_id").asText()).isEqualTo(id);
      assertThat(onWire.get("action").asText()).isEqualTo("set_point");
      assertThat(onWire.get("value").asInt()).isEqualTo(36);
      assertThat(onWire.get("params").get("mode").asText()).isEqualTo("cool");
      assertThat(onWire.get("ts").asLong()).isPositive();

      ack(hvac, "hvac-1", "{\"command_id\":\"" + id + "\",\"status\":\"ok\",\"message\":null}");
      awaitStatus(id, "acknowledged");
      JsonNode done = command(id);
      assertThat(done.get("acked_at").isNull()).isFalse();
      assertThat(done.get("value").asInt()).isEqualTo(36);

      JsonNode list = ok(send("GET", "/api/v1/iot/devices/hvac-1/commands?limit=1", null), 200);
      assertThat(list.get("commands")).hasSize(1);
      assertThat(list.get("commands").get(0).get("command_id").asText())
          .as("newest first")
          .isEqualTo(id);
    } finally {
      hvac.disconnect();
    }
  }

  @Test
  void aFailedAcknowledgement_recordsFailed_withTheDevicesMessage_andTheFirstAnswerWins()
      throws Exception {
    Mqtt5BlockingClient cooler = connect(edge, "cooler-2", COOLER_PASSWORD);
    try {
      var publishes = subscribe(cooler, "cooler-2");
      String id =
          ok(
                  send(
                      "POST",
                      "/api/v1/iot/devices/cooler-2/commands",
                      "{\"action\":\"defrost\",\"value\":true}"),
                  202)
              .get("command_id")
              .asText();
      assertThat(received(publishes).get("command_id").asText()).isEqualTo(id);
      long duplicatesBefore = edge.iot().rejected().getOrDefault("duplicate_ack", 0L);
      ack(
          cooler,
          "cooler-2",
          "{\"command_id\":\"" + id + "\",\"status\":\"failed\",\"message\":\"door open\"}");
      ack(cooler, "cooler-2", "{\"command_id\":\"" + id + "\",\"status\":\"ok\",\"message\":null}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> edge.iot().rejected().getOrDefault("duplicate_ack", 0L) > duplicatesBefore);
      JsonNode c = command(id);
      assertThat(c.get("status").asText()).isEqualTo("failed");
      assertThat(c.get("message").asText()).isEqualTo("door open");
    } finally {
      cooler.disconnect();
    }
  }

  @Test
  void aCommandSentWhileTheDeviceIsAway_reachesItWhenItReconnects_withItsSession()
      throws Exception {
    String clientId = "hvac-1-persistent-" + System.nanoTime();
    Mqtt5BlockingClient away = persistent(clientId);
    away.subscribeWith().topicFilter(PREFIX + "hvac-1/action").qos(MqttQos.AT_LEAST_ONCE).send();
    away.disconnect();
    String id =
        ok(
                send(
                    "POST",
                    "/api/v1/iot/devices/hvac-1/commands",
                    "{\"action\":\"set_point\",\"value\":71}"),
                202)
            .get("command_id")
            .asText();
    Mqtt5BlockingClient back =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(clientId)
            .serverHost("127.0.0.1")
            .serverPort(edge.mqttPort())
            .buildBlocking();
    // Listen before connecting: the queued command is delivered as soon as the session resumes.
    var publishes = back.publishes(MqttGlobalPublishFilter.ALL);
    back.connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(300)
        .simpleAuth()
        .username("hvac-1")
        .password(HVAC_PASSWORD.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    try {
      assertThat(received(publishes).get("command_id").asText()).isEqualTo(id);
      ack(back, "hvac-1", "{\"command_id\":\"" + id + "\",\"status\":\"ok\"}");
      awaitStatus(id, "acknowledged");
    } finally {
      back.disconnect();
    }
  }

  static Mqtt5BlockingClient persistent(String clientId) {
    Mqtt5BlockingClient c =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(clientId)
            .serverHost("127.0.0.1")
            .serverPort(edge.mqttPort())
            .buildBlocking();
    c.connectWith()
        .cleanStart(true)
        .sessionExpiryInterval(300)
        .simpleAuth()
        .username("hvac-1")
        .password(HVAC_PASSWORD.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    return c;
  }

  @Test
  void anUnansweredCommand_expiresAfterTheTimeout_andALateAnswerIsStillRecorded() throws Exception {
    // Nobody listens: the command is stored and published, and nothing answers.
    String id =
        ok(
                send(
                    "POST",
                    "/api/v1/iot/devices/cooler-2/commands",
                    "{\"action\":\"set_point\",\"value\":-5}"),
                202)
            .get("command_id")
            .asText();
    assertThat(command(id).get("status").asText()).isEqualTo("sent");
    clock.advance(DeviceCommands.ACK_TIMEOUT.plusSeconds(1));
    awaitStatus(id, "expired");
    assertThat(command(id).get("acked_at").isNull()).isTrue();

    Mqtt5BlockingClient cooler = connect(edge, "cooler-2", COOLER_PASSWORD);
    try {
      ack(cooler, "cooler-2", "{\"command_id\":\"" + id + "\",\"status\":\"ok\"}");
    } finally {
      cooler.disconnect();
    }
    awaitStatus(id, "acknowledged");
  }

  @Test
  void theSameIdempotencyKey_answersTheSameCommand_andPublishesItOnce() throws Exception {
    Mqtt5BlockingClient hvac = connect(edge, "hvac-1", HVAC_PASSWORD);
    try {
      var publishes = subscribe(hvac, "hvac-1");
      String body = "{\"action\":\"set_point\",\"value\":68.5}";
      String[] key = {"Idempotency-Key", "cmd-retry-1"};
      HttpResponse<String> first = send("POST", "/api/v1/iot/devices/hvac-1/commands", body, key);
      HttpResponse<String> again = send("POST", "/api/v1/iot/devices/hvac-1/commands", body, key);
      String id = ok(first, 202).get("command_id").asText();
      assertThat(ok(again, 202).get("command_id").asText()).isEqualTo(id);
      assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");

      // The same key for another command is refused, and publishes nothing either.
      HttpResponse<String> other =
          send(
              "POST",
              "/api/v1/iot/devices/hvac-1/commands",
              "{\"action\":\"set_point\",\"value\":60}",
              key);
      assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
      assertThat(RestaurantFixtures.json(other).get("field").asText()).isEqualTo("Idempotency-Key");

      // Retries racing each other: still one command, published once.
      String racingBody = "{\"action\":\"set_point\",\"value\":69}";
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> racing =
          new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        racing.add(
            java.util.concurrent.CompletableFuture.supplyAsync(
                () ->
                    send(
                        "POST",
                        "/api/v1/iot/devices/hvac-1/commands",
                        racingBody,
                        "Idempotency-Key",
                        "cmd-race-1")));
      }
      java.util.Set<String> raced = new java.util.HashSet<>();
      for (var f : racing) {
        raced.add(ok(f.get(30, TimeUnit.SECONDS), 202).get("command_id").asText());
      }
      assertThat(raced).hasSize(1);

      String next =
          ok(
                  send(
                      "POST",
                      "/api/v1/iot/devices/hvac-1/commands",
                      "{\"action\":\"fan\",\"value\":\"auto\"}"),
                  202)
              .get("command_id")
              .asText();
      // Messages on one topic arrive in order: each retried command came once, then the next.
      assertThat(received(publishes).get("command_id").asText()).isEqualTo(id);
      assertThat(received(publishes).get("command_id").asText()).isIn(raced);
      JsonNode second = received(publishes);
      assertThat(second.get("command_id").asText()).isEqualTo(next);
      assertThat(second.get("value").asText()).isEqualTo("auto");
    } finally {
      hvac.disconnect();
    }
  }

  @Test
  void badRequests_areA4xxNamingTheField_andStoreNothing() {
    int before = commandsOf("hvac-1");
    String path = "/api/v1/iot/devices/hvac-1/commands";
    expectError(send("POST", path, "{\"action\":"), 400, "invalid_json", "data");
    expectError(send("POST", path, "[1,2]"), 400, "invalid_json", "data");
    expectError(send("POST", path, ""), 400, "missing_field", "data");
    expectError(send("POST", path, "{\"value\":36}"), 400, "missing_field", "action");
    expectError(send("POST", path, "{\"action\":7}"), 400, "invalid_field", "action");
    expectError(send("POST", path, "{\"action\":\"set point!\"}"), 400, "invalid_field", "action");
    expectError(
        send("POST", path, "{\"action\":\"" + "a".repeat(65) + "\"}"),
        400,
        "invalid_field",
        "action");
    expectError(
        send("POST", path, "{\"action\":\"set_point\",\"value\":{\"to\":36}}"),
        400,
        "invalid_field",
        "value");
    expectError(
        send("POST", path, "{\"action\":\"set_point\",\"value\":[36]}"),
        400,
        "invalid_field",
        "value");
    expectError(
        send("POST", path, "{\"action\":\"set_point\",\"value\":1e400}"),
        400,
        "invalid_field",
        "value");
    expectError(
        send("POST", path, "{\"action\":\"set_point\",\"params\":[1]}"),
        400,
        "invalid_field",
        "params");
    expectError(
        send(
            "POST",
            path,
            "{\"action\":\"set_point\",\"params\":{\"note\":\"" + "x".repeat(5_000) + "\"}}"),
        400,
        "invalid_field",
        "params");
    expectError(
        send("POST", path, "{\"action\":\"set_point\",\"params\":{\"n\":\"" + "x".repeat(9_000)),
        413,
        "body_too_large",
        "data");
    expectError(
        send("POST", path, "{\"action\":\"set_point\",\"setpoint\":36}"),
        400,
        "invalid_field",
        "setpoint");
    expectError(
        send("POST", path, "{\"action\":\"set_point\"}", "Idempotency-Key", "bad key!"),
        400,
        "invalid_field",
        "Idempotency-Key");
    expectError(
        send("POST", "/api/v1/iot/devices/nope-9/commands", "{\"action\":\"set_point\"}"),
        404,
        "not_found",
        "device_id");
    HttpResponse<String> sensor =
        send("POST", "/api/v1/iot/devices/temp-1/commands", "{\"action\":\"set_point\"}");
    expectError(sensor, 409, "conflict", "device_id");
    assertThat(sensor.body()).contains("takes no commands");
    expectError(send("GET", "/api/v1/iot/commands/no-such-command", null), 404, "not_found", null);
    expectError(send("GET", path + "?limit=0", null), 400, "invalid_field", "limit");
    expectError(
        send("GET", "/api/v1/iot/devices/nope-9/commands", null), 404, "not_found", "device_id");
    HttpResponse<String> anonymous =
        TestEdges.send("POST", base + path, null, "{\"action\":\"set_point\"}");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(commandsOf("hvac-1")).isEqualTo(before);
    assertThat(commandsOf("temp-1")).isZero();
  }

  static int commandsOf(String deviceId) {
    return ok(send("GET", "/api/v1/iot/devices/" + deviceId + "/commands?limit=1000", null), 200)
        .get("commands")
        .size();
  }

  static void expectError(HttpResponse<String> r, int status, String code, String field) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode e = RestaurantFixtures.json(r);
    assertThat(e.get("error").asText()).as(r.body()).isEqualTo(code);
    if (field != null) {
      assertThat(e.get("field").asText()).as(r.body()).isEqualTo(field);
    }
  }

  @Test
  void aDevice_cannotAnswerAnotherDevicesCommand_andBadAnswersAreCountedNotStored()
      throws Exception {
    String id =
        ok(
                send(
                    "POST",
                    "/api/v1/iot/devices/hvac-1/commands",
                    "{\"action\":\"set_point\",\"value\":70}"),
                202)
            .get("command_id")
            .asText();
    Mqtt5BlockingClient cooler = connect(edge, "cooler-2", COOLER_PASSWORD);
    try {
      // The broker refuses a publish on another device's ack topic.
      assertThatThrownBy(
              () -> ack(cooler, "hvac-1", "{\"command_id\":\"" + id + "\",\"status\":\"ok\"}"))
          .isInstanceOfSatisfying(
              Mqtt5PubAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
      Map<String, Long> before = edge.iot().rejected();
      // On its own ack topic, naming another device's command, an unknown one, or nonsense.
      ack(cooler, "cooler-2", "{\"command_id\":\"" + id + "\",\"status\":\"ok\"}");
      ack(cooler, "cooler-2", "{\"command_id\":\"c-unknown\",\"status\":\"ok\"}");
      ack(cooler, "cooler-2", "{\"command_id\":");
      ack(cooler, "cooler-2", "{\"command_id\":\"" + id + "\",\"status\":\"done\"}");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Map<String, Long> now = edge.iot().rejected();
                assertThat(grew(before, now, "wrong_device")).isEqualTo(1);
                assertThat(grew(before, now, "unknown_command")).isEqualTo(1);
                assertThat(grew(before, now, "bad_ack")).isEqualTo(2);
              });
    } finally {
      cooler.disconnect();
    }
    assertThat(command(id).get("status").asText()).isEqualTo("sent");
  }

  static long grew(Map<String, Long> before, Map<String, Long> now, String reason) {
    return now.getOrDefault(reason, 0L) - before.getOrDefault(reason, 0L);
  }

  // The same hub also acknowledges sensor readings; these two tests use its temperature sensor.

  @Test
  void aSensorsReading_isAcknowledgedOnlyOnceItIsStored() {
    Mqtt5BlockingClient sensor = connect(edge, "temp-1", SENSOR_PASSWORD);
    try {
      for (int i = 0; i < 20; i++) {
        long ts = 1_767_225_600_000L + i;
        sensor
            .publishWith()
            .topic("olympus/t1/loc-1/sensors/temperature/temp-1")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(
                ("{\"ts\":" + ts + ",\"value\":35.5,\"unit\":\"F\"}")
                    .getBytes(StandardCharsets.UTF_8))
            .send();
        // the PUBACK has come back: the reading must be in telemetry.db already
        assertThat(edge.iot().store().readings("temp-1", ts, ts + 1, 10))
            .as("reading %d stored before its acknowledgement", i)
            .hasSize(1);
      }
    } finally {
      sensor.disconnect();
    }
  }

  @Test
  void aMalformedReading_getsAnErrorAcknowledgementNamingTheField_overMqtt5() {
    Mqtt5BlockingClient sensor = connect(edge, "temp-1", SENSOR_PASSWORD);
    try {
      assertThatThrownBy(
              () ->
                  sensor
                      .publishWith()
                      .topic("olympus/t1/loc-1/sensors/temperature/temp-1")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .payload("{\"value\":\"warm\"}".getBytes(StandardCharsets.UTF_8))
                      .send())
          .isInstanceOfSatisfying(
              Mqtt5PubAckException.class,
              e -> {
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
                assertThat(e.getMqttMessage().getReasonString().map(Object::toString))
                    .hasValueSatisfying(r -> assertThat(r).contains("value"));
              });
    } finally {
      sensor.disconnect();
    }
  }
}
