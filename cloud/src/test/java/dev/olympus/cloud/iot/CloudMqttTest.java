package dev.olympus.cloud.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.cloud.HttpClientSupport;
import dev.olympus.cloud.HttpClientSupport.Resp;
import dev.olympus.cloud.TestDatabases;
import dev.olympus.core.iot.AlertEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud's direct MQTT ingest against a real Debian mosquitto, readings published with
 * mosquitto_pub. Skipped, saying why, where mosquitto is not installed.
 */
class CloudMqttTest {
  static final String ADMIN = "test-admin-token";

  @TempDir static Path dataDir;
  static Mosquitto broker;
  static CloudServer server;
  static HttpClientSupport http;
  static final java.util.List<AlertEvent> events =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    Assumptions.assumeTrue(
        Mosquitto.installed(),
        "Debian's mosquitto is not installed (apt-get install mosquitto mosquitto-clients):"
            + " the MQTT ingest tests are skipped");
    broker = Mosquitto.start(dataDir);
    server = startCloud();
  }

  static CloudServer startCloud() {
    CloudServer s =
        CloudServer.start(
            CloudSettings.defaults(dataDir)
                .withHost("127.0.0.1")
                .withAdminToken(ADMIN)
                .withIot(IotSettings.defaults().withMqtt(broker.url(), null, null)),
            events::add);
    http = new HttpClientSupport(s.port());
    return s;
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  record Site(String tenant, String location) {
    String topic(String device) {
      return "olympus/" + tenant + "/" + location + "/sensors/temperature/" + device;
    }

    String path(String p) {
      return "/api/v1/admin/tenants/" + tenant + "/iot" + p;
    }
  }

  static Site site() {
    String t = TestDatabases.unique("t");
    String l = TestDatabases.unique("loc");
    http.call("POST", "/api/v1/admin/tenants", ADMIN, "{\"id\":\"" + t + "\",\"name\":\"B\"}");
    http.call(
        "POST",
        "/api/v1/admin/tenants/" + t + "/locations",
        ADMIN,
        "{\"id\":\"" + l + "\",\"name\":\"Downtown\"}");
    Site s = new Site(t, l);
    Resp r = http.call("POST", s.path("/devices"), ADMIN, IotHttpTest.cooler("cooler-1", l));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return s;
  }

  static JsonNode readings(Site s, String device) {
    Resp r = http.call("GET", s.path("/devices/" + device + "/telemetry?period=1h"), ADMIN, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("readings");
  }

  static String reading(long ts, double value) {
    return "{\"ts\":" + ts + ",\"value\":" + value + ",\"unit\":\"F\"}";
  }

  @Test
  void readingsPublishedWithMosquittoPub_areStoredAndQueryable() {
    Site s = site();
    broker.publish(s.topic("cooler-1"), "{\"value\":35.5,\"unit\":\"F\"}");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(readings(s, "cooler-1")).hasSize(1));
    JsonNode r = readings(s, "cooler-1").get(0);
    assertThat(r.get("value").asDouble()).isEqualTo(35.5);
    assertThat(r.get("unit").asText()).isEqualTo("F");
  }

  @Test
  void badMessages_areCountedAndNeverStored_andTheIngestCarriesOn() {
    Site s = site();
    Site other = site();
    IotMetrics metrics = server.iot().metrics();
    double badPayload = metrics.rejectedCount("bad_payload");
    double unknown = metrics.rejectedCount("unknown_device");
    double badTopic = metrics.rejectedCount("bad_topic");
    broker.publish(s.topic("cooler-1"), "{not json");
    broker.publish(s.topic("cooler-1"), "{\"value\":\"warm\"}");
    broker.publish(s.topic("ghost-9"), "{\"value\":1}");
    // This tenant's device id under another tenant's location: not registered there.
    broker.publish(
        "olympus/" + other.tenant() + "/" + s.location() + "/sensors/temperature/cooler-1",
        "{\"value\":2}");
    broker.publish("olympus/" + s.tenant() + "/" + s.location() + "/sensors/toaster/x", "{}");
    broker.publish(s.topic("cooler-1"), "{\"value\":36}");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(readings(s, "cooler-1")).hasSize(1));
    assertThat(readings(s, "cooler-1").get(0).get("value").asDouble()).isEqualTo(36.0);
    assertThat(readings(other, "cooler-1")).isEmpty();
    assertThat(metrics.rejectedCount("bad_payload") - badPayload).isEqualTo(2);
    assertThat(metrics.rejectedCount("unknown_device") - unknown).isEqualTo(2);
    assertThat(metrics.rejectedCount("bad_topic") - badTopic).isEqualTo(1);
  }

  @Test
  void alertsOfDirectReadings_areLogged_andTheEngineStateSurvivesARestart() {
    Site s = site();
    long now = System.currentTimeMillis();
    // Above 38 °F for eleven minutes, by event time: past the minimum duration.
    for (long ago : new long[] {11, 8, 5, 2, 0}) {
      broker.publish(s.topic("cooler-1"), reading(now - ago * 60_000, 41.0 + ago / 10.0));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode alerts =
                  http.call("GET", s.path("/alerts"), ADMIN, null).json().get("alerts");
              assertThat(alerts).hasSize(1);
              assertThat(alerts.get(0).get("rule").asText()).isEqualTo("temperature_high");
              assertThat(alerts.get(0).get("device_id").asText()).isEqualTo("cooler-1");
            });

    String alertId =
        http.call("GET", s.path("/alerts"), ADMIN, null)
            .json()
            .get("alerts")
            .get(0)
            .get("alert_id")
            .asText();
    Resp ack =
        http.call(
            "POST", s.path("/alerts/" + alertId + "/acknowledge"), ADMIN, "{\"by\":\"Maria\"}");
    assertThat(ack.status()).as(ack.body()).isEqualTo(200);
    assertThat(ack.json().get("status").asText()).isEqualTo("acknowledged");
    assertThat(events).anySatisfy(e -> assertThat(e.kind()).isEqualTo(AlertEvent.Kind.RAISED));

    // The cloud restarts; a reading published while it is down is delivered when it is back
    // (persistent session, QoS 1), and the restored engine resolves the episode it had open.
    server.close();
    broker.publish(s.topic("cooler-1"), reading(System.currentTimeMillis(), 35.0));
    server = startCloud();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode all =
                  http.call("GET", s.path("/alerts?status=all"), ADMIN, null).json().get("alerts");
              assertThat(all).hasSize(1);
              assertThat(all.get(0).get("status").asText()).isEqualTo("resolved");
              assertThat(all.get(0).get("acknowledged_by").asText()).isEqualTo("Maria");
            });
    assertThat(readings(s, "cooler-1")).hasSize(6);
  }

  @Test
  void aBrokerDownWhenTheCloudStarts_isConnectedToOnceItIsUp(@TempDir Path other)
      throws IOException {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Site s = site();
    try (CloudServer late =
        CloudServer.start(
            CloudSettings.defaults(other)
                .withHost("127.0.0.1")
                .withAdminToken(ADMIN)
                .withIot(IotSettings.defaults().withMqtt("tcp://127.0.0.1:" + port, null, null)))) {
      // The registry lives in the first cloud's database: register the cooler here too.
      HttpClientSupport lateHttp = new HttpClientSupport(late.port());
      lateHttp.call(
          "POST", "/api/v1/admin/tenants", ADMIN, "{\"id\":\"" + s.tenant() + "\",\"name\":\"B\"}");
      lateHttp.call(
          "POST",
          "/api/v1/admin/tenants/" + s.tenant() + "/locations",
          ADMIN,
          "{\"id\":\"" + s.location() + "\",\"name\":\"D\"}");
      lateHttp.call(
          "POST", s.path("/devices"), ADMIN, IotHttpTest.cooler("cooler-1", s.location()));
      try (Mosquitto lateBroker = Mosquitto.startOn(other, port)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  lateBroker.publish(s.topic("cooler-1"), "{\"value\":35}");
                  Resp r =
                      lateHttp.call(
                          "GET", s.path("/devices/cooler-1/telemetry?period=1h"), ADMIN, null);
                  assertThat(r.json().get("readings")).isNotEmpty();
                });
      }
    }
  }
}
