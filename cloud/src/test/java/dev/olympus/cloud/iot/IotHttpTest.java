package dev.olympus.cloud.iot;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.cloud.HttpClientSupport;
import dev.olympus.cloud.HttpClientSupport.Resp;
import dev.olympus.cloud.TestDatabases;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.config.ConfigRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloud IoT API over real HTTP on loopback, on SQLite. */
class IotHttpTest {
  static final String ADMIN = "test-admin-token";
  static final long MAX_BODY = 32 * 1024;

  @TempDir static Path dataDir;
  static CloudServer server;
  static HttpClientSupport http;

  /** A tenant with two locations, an edge at each, a POS at the first, and a cooler sensor. */
  record World(String tenant, String loc1, String loc2, String edge1, String edge2, String pos1) {}

  @BeforeAll
  static void start() {
    server =
        CloudServer.start(
            CloudSettings.defaults(dataDir)
                .withHost("127.0.0.1")
                .withAdminToken(ADMIN)
                .withMaxBodyBytes(MAX_BODY)
                .withIot(IotSettings.defaults().withBatchLimits(64 * 1024, 256 * 1024)));
    http = new HttpClientSupport(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static World world() {
    String t = TestDatabases.unique("t");
    String l1 = TestDatabases.unique("loc1");
    String l2 = TestDatabases.unique("loc2");
    assertThat(
            call("POST", "/api/v1/admin/tenants", ADMIN, "{\"id\":\"" + t + "\",\"name\":\"B\"}")
                .status())
        .isEqualTo(201);
    for (String l : new String[] {l1, l2}) {
      assertThat(
              call(
                      "POST",
                      "/api/v1/admin/tenants/" + t + "/locations",
                      ADMIN,
                      "{\"id\":\"" + l + "\",\"name\":\"Downtown\"}")
                  .status())
          .isEqualTo(201);
    }
    World w =
        new World(
            t,
            l1,
            l2,
            device(t, l1, "edge-1", "olympus_edge"),
            device(t, l2, "edge-2", "olympus_edge"),
            device(t, l1, "pos-1", "pos_terminal"));
    Resp r = register(w, cooler("cooler-1", l1));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return w;
  }

  static String device(String tenant, String location, String id, String type) {
    Resp r =
        call(
            "POST",
            "/api/v1/admin/tenants/" + tenant + "/locations/" + location + "/devices",
            ADMIN,
            "{\"device_id\":\"" + id + "\",\"device_type\":\"" + type + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("token").asText();
  }

  static String cooler(String id, String location) {
    return "{\"device_id\":\""
        + id
        + "\",\"device_type\":\"temperature\",\"location_id\":\""
        + location
        + "\",\"name\":\"Walk-In Cooler\",\"target_min\":32,\"target_max\":38,\"unit\":\"F\"}";
  }

  static Resp register(World w, String body) {
    return call("POST", admin(w, "/devices"), ADMIN, body);
  }

  static String admin(World w, String path) {
    return "/api/v1/admin/tenants/" + w.tenant() + "/iot" + path;
  }

  static Resp call(String method, String path, String token, String body) {
    return http.call(method, path, token, body);
  }

  static byte[] gzip(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Posts a batch as bytes with the given headers. */
  static Resp postBatch(String token, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/v1/iot/telemetry/batches"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Authorization", "Bearer " + token);
    headers.forEach(b::header);
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = r.body().startsWith("{") ? Json.readTree(r.body()) : null;
      return new Resp(r.statusCode(), json, r.body(), r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Resp gzipBatch(String token, String json) {
    return postBatch(
        token, gzip(json), Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
  }

  static String reading(String device, long ts, double value) {
    return "{\"device_id\":\""
        + device
        + "\",\"device_type\":\"temperature\",\"ts\":"
        + ts
        + ",\"value\":"
        + value
        + ",\"unit\":\"F\"}";
  }

  static long now() {
    return System.currentTimeMillis();
  }

  // ---- registry ----

  @Test
  void register_answersThePasswordOnce_andKeepsOnlyItsBcryptHashInTheSyncedConfig() {
    World w = world();
    Resp r = register(w, cooler("freezer-1", w.loc1()));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("mqtt_username").asText()).isEqualTo("freezer-1");
    String password = r.json().get("mqtt_password").asText();
    assertThat(password).hasSizeGreaterThanOrEqualTo(20);
    assertThat(r.json().get("target_max").asDouble()).isEqualTo(38.0);

    var stored =
        server
            .config()
            .store()
            .find(ConfigRegistry.require("iot_devices"), "freezer-1", w.tenant())
            .orElseThrow();
    assertThat(stored.propertyId()).isEqualTo(w.loc1());
    String hash = (String) stored.data().get("mqtt_password_hash");
    assertThat(BCrypt.verifyer().verify(password.toCharArray(), hash).verified).isTrue();
    assertThat(stored.data().values()).doesNotContain(password);
    // What config sync sends the edge carries the hash, so its broker checks sensors offline.
    String delta = Json.write(server.config().store().fullSync(w.loc1(), w.tenant()));
    assertThat(delta).contains("freezer-1").contains(hash).doesNotContain(password);

    Resp list = call("GET", admin(w, "/devices"), ADMIN, null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(password).doesNotContain("mqtt_password");
    assertThat(list.json().get("devices")).hasSize(2);
    JsonNode first = list.json().get("devices").get(0);
    assertThat(first.get("status").asText()).isEqualTo("unknown");

    // A device token of the tenant sees the same list.
    Resp byDevice = call("GET", "/api/v1/iot/devices?location_id=" + w.loc1(), w.pos1(), null);
    assertThat(byDevice.json().get("devices")).hasSize(2);
  }

  @Test
  void register_refusesDuplicatesBadTypesAndOtherTenantsLocations() {
    World w = world();
    World other = world();
    assertThat(register(w, cooler("cooler-1", w.loc1())).status()).isEqualTo(409);
    Resp badType =
        register(
            w,
            "{\"device_id\":\"x-1\",\"device_type\":\"toaster\",\"location_id\":\""
                + w.loc1()
                + "\",\"name\":\"T\"}");
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.field()).isEqualTo("device_type");
    assertThat(badType.json().get("message").asText()).contains("temperature").contains("hvac");
    Resp otherLocation = register(w, cooler("c-9", other.loc1()));
    assertThat(otherLocation.status()).isEqualTo(404);
    assertThat(otherLocation.field()).isEqualTo("location_id");
    Resp wrongType =
        register(
            w,
            "{\"device_id\":\"c-8\",\"device_type\":\"temperature\",\"location_id\":\""
                + w.loc1()
                + "\",\"name\":\"C\",\"target_min\":\"cold\"}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.field()).isEqualTo("target_min");
    Resp missing = register(w, "{\"device_id\":\"c-7\",\"location_id\":\"" + w.loc1() + "\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.field()).isEqualTo("device_type");
    assertThat(register(w, "{not json").status()).isEqualTo(400);
    Resp minAboveMax =
        register(
            w,
            "{\"device_id\":\"c-6\",\"device_type\":\"temperature\",\"location_id\":\""
                + w.loc1()
                + "\",\"name\":\"C\",\"target_min\":40,\"target_max\":38}");
    assertThat(minAboveMax.status()).isEqualTo(400);
    // A device token may not register sensors; the admin may without naming the tenant.
    assertThat(call("POST", "/api/v1/iot/devices", w.pos1(), cooler("c-5", w.loc1())).status())
        .isEqualTo(403);
    assertThat(call("POST", "/api/v1/iot/devices", ADMIN, cooler("c-5", w.loc1())).status())
        .isEqualTo(201);
    assertThat(call("GET", "/api/v1/iot/devices", null, null).status()).isEqualTo(401);
    Resp oversized =
        register(
            w,
            "{\"device_id\":\"c-4\",\"device_type\":\"temperature\",\"location_id\":\""
                + w.loc1()
                + "\",\"name\":\""
                + "x".repeat(40 * 1024)
                + "\"}");
    assertThat(oversized.status()).isEqualTo(413);
    // Nothing of the refused registrations was stored.
    assertThat(call("GET", admin(w, "/devices"), ADMIN, null).json().get("devices"))
        .extracting(d -> d.get("device_id").asText())
        .containsExactlyInAnyOrder("cooler-1", "c-5");
  }

  // ---- batches ----

  @Test
  void batch_storesOnce_andAnswersARetryAsDuplicate() {
    World w = world();
    long t0 = now() - 3_600_000;
    String body =
        "{\"batch_id\":\"edge-1:000000000001\",\"events\":["
            + reading("cooler-1", t0, 35.0)
            + ","
            + reading("cooler-1", t0 + 60_000, 37.0)
            + ","
            + reading("ghost-1", t0, 20.0)
            + "]}";
    Resp r = gzipBatch(w.edge1(), body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
    assertThat(r.json().get("rejected").asInt()).isEqualTo(1);
    assertThat(r.json().get("duplicate").asBoolean()).isFalse();

    Resp again = gzipBatch(w.edge1(), body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(again.json().get("accepted").asInt()).isEqualTo(2);

    // Uncompressed is accepted too; a new batch repeating a stored reading stores it once.
    Resp plain =
        http.call(
            "POST",
            "/api/v1/iot/telemetry/batches",
            w.edge1(),
            "{\"batch_id\":\"edge-1:000000000002\",\"events\":["
                + reading("cooler-1", t0, 35.0)
                + "]}");
    assertThat(plain.status()).isEqualTo(200);

    Resp q = call("GET", admin(w, "/devices/cooler-1/telemetry?period=6h"), ADMIN, null);
    assertThat(q.status()).isEqualTo(200);
    assertThat(q.json().get("resolution").asText()).isEqualTo("raw");
    assertThat(q.json().get("readings")).hasSize(2);
    assertThat(q.json().get("readings").get(0).get("value").asDouble()).isEqualTo(35.0);
    assertThat(q.json().get("readings").get(0).get("unit").asText()).isEqualTo("F");

    Resp agg = call("GET", "/api/v1/iot/devices/cooler-1/telemetry?period=24h", w.pos1(), null);
    assertThat(agg.status()).isEqualTo(200);
    assertThat(agg.json().get("resolution").asText()).isEqualTo("5m");
    int count = 0;
    for (JsonNode b : agg.json().get("readings")) {
      count += b.get("count").asInt();
    }
    assertThat(count).isEqualTo(2);
    Resp hourly =
        call(
            "GET",
            "/api/v1/iot/devices/cooler-1/telemetry?period=24h&resolution=1h",
            w.pos1(),
            null);
    JsonNode bucket = hourly.json().get("readings").get(0);
    if (hourly.json().get("readings").size() == 1) {
      assertThat(bucket.get("min").asDouble()).isEqualTo(35.0);
      assertThat(bucket.get("max").asDouble()).isEqualTo(37.0);
      assertThat(bucket.get("value").asDouble()).isEqualTo(36.0);
      assertThat(bucket.get("count").asInt()).isEqualTo(2);
    }
    assertThat(server.iot().metrics().rejectedCount("unknown_device")).isGreaterThanOrEqualTo(1);
    Resp metrics = call("GET", "/metrics", null, null);
    assertThat(metrics.body())
        .contains("olympus_iot_duplicate_batches")
        .contains("olympus_iot_rejected");

    Resp devices = call("GET", admin(w, "/devices"), ADMIN, null);
    JsonNode cooler = devices.json().get("devices").get(0);
    assertThat(cooler.get("last_value").asDouble()).isEqualTo(37.0);
    assertThat(cooler.get("status").asText()).isEqualTo("offline");
  }

  @Test
  void batch_refusesBadInputWithTheField_andStoresNothing() {
    World w = world();
    long t = now() - 60_000;
    Resp malformed = gzipBatch(w.edge1(), "{\"batch_id\":\"b-1\",\"events\":[");
    assertThat(malformed.status()).isEqualTo(400);
    Resp notGzip =
        postBatch(
            w.edge1(),
            "{}".getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
    assertThat(notGzip.status()).isEqualTo(400);
    assertThat(notGzip.error()).isEqualTo("invalid_gzip");
    Resp wrongType =
        gzipBatch(
            w.edge1(),
            "{\"batch_id\":\"b-2\",\"events\":[{\"device_id\":\"cooler-1\",\"device_type\":"
                + "\"temperature\",\"ts\":"
                + t
                + ",\"value\":\"hot\"}]}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.field()).isEqualTo("events[0].value");
    Resp noTs =
        gzipBatch(
            w.edge1(),
            "{\"batch_id\":\"b-3\",\"events\":[{\"device_id\":\"cooler-1\",\"device_type\":"
                + "\"temperature\",\"value\":3}]}");
    assertThat(noTs.field()).isEqualTo("events[0].ts");
    Resp noBatchId = gzipBatch(w.edge1(), "{\"events\":[]}");
    assertThat(noBatchId.field()).isEqualTo("batch_id");
    Resp badAlert =
        gzipBatch(
            w.edge1(),
            "{\"batch_id\":\"b-4\",\"events\":[],\"alerts\":[{\"alert_id\":\"a\",\"rule\":\"x\"}]}");
    assertThat(badAlert.field()).isEqualTo("alerts[0].rule");
    Resp text =
        postBatch(
            w.edge1(),
            gzip("{}"),
            Map.of("Content-Type", "text/plain", "Content-Encoding", "gzip"));
    assertThat(text.status()).isEqualTo(415);
    Resp brotli =
        postBatch(
            w.edge1(),
            gzip("{}"),
            Map.of("Content-Type", "application/json", "Content-Encoding", "br"));
    assertThat(brotli.status()).isEqualTo(415);
    // Over the compressed limit (64 KiB here) and over the inflated one (256 KiB here).
    byte[] big = new byte[70 * 1024];
    new java.util.Random(1).nextBytes(big);
    Resp tooBig =
        postBatch(
            w.edge1(), big, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
    assertThat(tooBig.status()).isEqualTo(413);
    String bomb = "{\"batch_id\":\"b-5\",\"events\":[],\"pad\":\"" + "x".repeat(300 * 1024) + "\"}";
    assertThat(gzipBatch(w.edge1(), bomb).status()).isEqualTo(413);
    // Tokens: a POS terminal and the admin may not send batches.
    assertThat(gzipBatch(w.pos1(), "{\"batch_id\":\"b-6\",\"events\":[]}").status()).isEqualTo(403);
    assertThat(gzipBatch(ADMIN, "{\"batch_id\":\"b-6\",\"events\":[]}").status()).isEqualTo(403);
    assertThat(gzipBatch("oly_nope", "{\"batch_id\":\"b-6\",\"events\":[]}").status())
        .isEqualTo(401);

    Resp q = call("GET", admin(w, "/devices/cooler-1/telemetry?period=1h"), ADMIN, null);
    assertThat(q.json().get("readings")).isEmpty();
  }

  @Test
  void batch_ofAnotherLocationsEdge_rejectsItsReadings_andAnotherTenantSeesNothing() {
    World w = world();
    World other = world();
    long t = now() - 60_000;
    // edge-2 is at loc2; cooler-1 is registered at loc1: not this edge's device.
    Resp r =
        gzipBatch(
            w.edge2(), "{\"batch_id\":\"e2:1\",\"events\":[" + reading("cooler-1", t, 36) + "]}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isZero();
    assertThat(r.json().get("rejected").asInt()).isEqualTo(1);
    // The other tenant has its own cooler-1; this tenant's readings never reach it.
    gzipBatch(w.edge1(), "{\"batch_id\":\"e1:1\",\"events\":[" + reading("cooler-1", t, 36) + "]}");
    Resp theirs =
        call("GET", "/api/v1/iot/devices/cooler-1/telemetry?period=1h", other.pos1(), null);
    assertThat(theirs.status()).isEqualTo(200);
    assertThat(theirs.json().get("readings")).isEmpty();
    register(w, cooler("only-mine", w.loc1()));
    Resp notTheirs =
        call("GET", "/api/v1/iot/devices/only-mine/telemetry?period=1h", other.pos1(), null);
    assertThat(notTheirs.status()).isEqualTo(404);
  }

  @Test
  void deviceToken_seesItsOwnLocationOnly() {
    World w = world();
    long t = now() - 60_000;
    gzipBatch(w.edge1(), "{\"batch_id\":\"e1:9\",\"events\":[" + reading("cooler-1", t, 36) + "]}");
    // edge-2 is a device of loc2: loc1's cooler, its readings and its alerts are not its to read.
    assertThat(
            call("GET", "/api/v1/iot/devices/cooler-1/telemetry?period=1h", w.edge2(), null)
                .status())
        .isEqualTo(404);
    Resp listed = call("GET", "/api/v1/iot/devices", w.edge2(), null);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().get("devices")).isEmpty();
    Resp asked = call("GET", "/api/v1/iot/devices?location_id=" + w.loc1(), w.edge2(), null);
    assertThat(asked.status()).isEqualTo(403);
    assertThat(asked.body()).contains("own location");
    assertThat(call("GET", "/api/v1/iot/alerts?location_id=" + w.loc1(), w.edge2(), null).status())
        .isEqualTo(403);
    // loc1's own terminal reads them.
    Resp mine = call("GET", "/api/v1/iot/devices/cooler-1/telemetry?period=1h", w.pos1(), null);
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.json().get("readings")).hasSize(1);
  }

  @Test
  void telemetry_refusesBadPeriodsAndResolutions() {
    World w = world();
    for (String bad : new String[] {"24", "5m", "400d", "abc", "1w"}) {
      Resp r = call("GET", admin(w, "/devices/cooler-1/telemetry?period=" + bad), ADMIN, null);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.field()).isEqualTo("period");
    }
    Resp res =
        call("GET", admin(w, "/devices/cooler-1/telemetry?period=1h&resolution=1s"), ADMIN, null);
    assertThat(res.field()).isEqualTo("resolution");
    Resp yearly = call("GET", admin(w, "/devices/cooler-1/telemetry?period=30d"), ADMIN, null);
    assertThat(yearly.json().get("resolution").asText()).isEqualTo("1h");
    assertThat(call("GET", admin(w, "/devices/nope/telemetry"), ADMIN, null).status())
        .isEqualTo(404);
    assertThat(call("GET", "/api/v1/admin/tenants/no-such/iot/devices", ADMIN, null).status())
        .isEqualTo(404);
  }

  // ---- alerts ----

  static String alert(String id, String status, String resolvedAt) {
    return "{\"alert_id\":\""
        + id
        + "\",\"device_id\":\"cooler-1\",\"location_id\":\"ignored\",\"rule\":\"temperature_high\","
        + "\"severity\":\"critical\",\"status\":\""
        + status
        + "\",\"started_at\":\"2026-01-01T10:00:00Z\",\"raised_at\":\"2026-01-01T10:10:00Z\","
        + "\"resolved_at\":"
        + (resolvedAt == null ? "null" : "\"" + resolvedAt + "\"")
        + ",\"value\":41.2,\"threshold\":38.0,\"escalations\":0,\"message\":\"hot\"}";
  }

  @Test
  void alerts_fromBatches_areUpserted_neverRegressed_andAcknowledgedAndResolvedThroughTheApi() {
    World w = world();
    Resp r =
        gzipBatch(
            w.edge1(),
            "{\"batch_id\":\"a:1\",\"events\":[],\"alerts\":["
                + alert("al-1", "active", null)
                + ","
                + alert("al-2", "resolved", "2026-01-01T10:30:00Z")
                + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    // A later batch repeats al-2 as active: resolved stays resolved.
    gzipBatch(
        w.edge1(),
        "{\"batch_id\":\"a:2\",\"events\":[],\"alerts\":[" + alert("al-2", "active", null) + "]}");

    Resp open = call("GET", admin(w, "/alerts"), ADMIN, null);
    assertThat(open.json().get("alerts")).hasSize(1);
    JsonNode a = open.json().get("alerts").get(0);
    assertThat(a.get("alert_id").asText()).isEqualTo("al-1");
    assertThat(a.get("location_id").asText()).isEqualTo(w.loc1());
    assertThat(a.get("rule").asText()).isEqualTo("temperature_high");
    Resp all = call("GET", "/api/v1/iot/alerts?status=all", w.pos1(), null);
    assertThat(all.json().get("alerts")).hasSize(2);
    assertThat(call("GET", "/api/v1/iot/alerts?status=closed", w.pos1(), null).field())
        .isEqualTo("status");

    assertThat(
            call("POST", "/api/v1/iot/alerts/al-1/acknowledge", w.edge2(), "{\"by\":\"Eve\"}")
                .status())
        .as("a device of another location")
        .isEqualTo(404);
    Resp ack = call("POST", "/api/v1/iot/alerts/al-1/acknowledge", w.pos1(), "{\"by\":\"Maria\"}");
    assertThat(ack.status()).as(ack.body()).isEqualTo(200);
    assertThat(ack.json().get("status").asText()).isEqualTo("acknowledged");
    assertThat(ack.json().get("acknowledged_by").asText()).isEqualTo("Maria");
    // The edge sends its older, active view again: acknowledged stays.
    gzipBatch(
        w.edge1(),
        "{\"batch_id\":\"a:3\",\"events\":[],\"alerts\":[" + alert("al-1", "active", null) + "]}");
    assertThat(
            call("GET", admin(w, "/alerts"), ADMIN, null)
                .json()
                .get("alerts")
                .get(0)
                .get("status")
                .asText())
        .isEqualTo("acknowledged");

    Resp resolve = call("POST", admin(w, "/alerts/al-1/resolve"), ADMIN, "{\"by\":\"Maria\"}");
    assertThat(resolve.json().get("status").asText()).isEqualTo("resolved");
    assertThat(resolve.json().get("resolved_at").isNull()).isFalse();
    assertThat(call("POST", admin(w, "/alerts/al-1/resolve"), ADMIN, "{\"by\":\"M\"}").status())
        .isEqualTo(409);
    assertThat(call("POST", admin(w, "/alerts/nope/resolve"), ADMIN, "{\"by\":\"M\"}").status())
        .isEqualTo(404);
    Resp noBy = call("POST", admin(w, "/alerts/al-2/acknowledge"), ADMIN, "{\"by\":5}");
    assertThat(noBy.status()).isEqualTo(400);
    assertThat(noBy.field()).isEqualTo("by");
    World other = world();
    assertThat(
            call("POST", "/api/v1/iot/alerts/al-1/acknowledge", other.pos1(), "{\"by\":\"X\"}")
                .status())
        .isEqualTo(404);
  }

  /** An alert as an edge sends it back after learning (or making) an acknowledgement. */
  static String acknowledgedAlert(String id, String status, String by, String at) {
    return alert(id, status, status.equals("resolved") ? at : null)
        .replace(
            "\"resolved_at\"",
            "\"acknowledged_by\":\""
                + by
                + "\",\"acknowledged_at\":\""
                + at
                + "\",\"resolved_at\"");
  }

  @Test
  void alerts_closedInTheCloud_keepTheCloudsWhoAndWhen_whenAnEdgeSendsThemBack() {
    World w = world();
    gzipBatch(
        w.edge1(),
        "{\"batch_id\":\"c:1\",\"events\":[],\"alerts\":["
            + alert("al-3", "active", null)
            + ","
            + alert("al-4", "active", null)
            + "]}");
    Resp ack = call("POST", "/api/v1/iot/alerts/al-3/acknowledge", w.pos1(), "{\"by\":\"Maria\"}");
    assertThat(ack.status()).as(ack.body()).isEqualTo(200);
    String ackedAt = ack.json().get("acknowledged_at").asText();
    // The edge applies it and sends its row back, stamped with its own clock; then someone on the
    // edge acknowledges too (before it learnt of Maria's): the cloud keeps Maria and her time.
    gzipBatch(
        w.edge1(),
        "{\"batch_id\":\"c:2\",\"events\":[],\"alerts\":["
            + acknowledgedAlert("al-3", "acknowledged", "Maria", "2030-01-01T00:00:00Z")
            + "]}");
    gzipBatch(
        w.edge1(),
        "{\"batch_id\":\"c:3\",\"events\":[],\"alerts\":["
            + acknowledgedAlert("al-3", "acknowledged", "Joe", "2030-01-01T00:01:00Z")
            + "]}");
    JsonNode a3 = call("GET", "/api/v1/iot/alerts?status=all&ids=al-3", w.edge1(), null).json();
    assertThat(a3.get("alerts")).hasSize(1);
    assertThat(a3.get("alerts").get(0).get("status").asText()).isEqualTo("acknowledged");
    assertThat(a3.get("alerts").get(0).get("acknowledged_by").asText()).isEqualTo("Maria");
    assertThat(a3.get("alerts").get(0).get("acknowledged_at").asText()).isEqualTo(ackedAt);

    // Resolving an unacknowledged alert names its resolver, so the edge can say who.
    Resp resolved = call("POST", admin(w, "/alerts/al-4/resolve"), ADMIN, "{\"by\":\"Ana\"}");
    assertThat(resolved.json().get("acknowledged_by").asText()).isEqualTo("Ana");
    String resolvedAt = resolved.json().get("resolved_at").asText();
    gzipBatch(
        w.edge1(),
        "{\"batch_id\":\"c:4\",\"events\":[],\"alerts\":["
            + acknowledgedAlert("al-4", "resolved", "Ana", "2030-01-01T00:00:00Z")
            + "]}");
    JsonNode a4 = call("GET", "/api/v1/iot/alerts?status=all&ids=al-4", w.pos1(), null).json();
    assertThat(a4.get("alerts").get(0).get("resolved_at").asText()).isEqualTo(resolvedAt);

    // Another location's edge can neither read nor move them, even naming their ids.
    Resp stranger =
        gzipBatch(
            w.edge2(),
            "{\"batch_id\":\"c:5\",\"events\":[],\"alerts\":["
                + acknowledgedAlert("al-3", "resolved", "Mallory", "2030-01-01T00:00:00Z")
                + "]}");
    assertThat(stranger.status()).as(stranger.body()).isEqualTo(200);
    assertThat(
            call("GET", "/api/v1/iot/alerts?status=all&ids=al-3,al-4", w.edge2(), null)
                .json()
                .get("alerts"))
        .isEmpty();
    JsonNode both =
        call("GET", "/api/v1/iot/alerts?status=all&ids=al-3,al-4", w.edge1(), null).json();
    assertThat(both.get("alerts")).hasSize(2);
    assertThat(both.findValuesAsText("status"))
        .containsExactlyInAnyOrder("acknowledged", "resolved");
    assertThat(both.findValuesAsText("acknowledged_by")).containsExactlyInAnyOrder("Maria", "Ana");
  }

  @Test
  void alerts_byIds_refuseMalformedLists_withTheField() {
    World w = world();
    Resp empty = call("GET", "/api/v1/iot/alerts?status=all&ids=a,,b", w.edge1(), null);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.field()).isEqualTo("ids");
    String many =
        String.join(
            ",",
            java.util.Collections.nCopies(101, "x").stream()
                .map(x -> x + java.util.UUID.randomUUID())
                .toList());
    Resp tooMany = call("GET", "/api/v1/iot/alerts?status=all&ids=" + many, w.edge1(), null);
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.field()).isEqualTo("ids");
    Resp unknown = call("GET", "/api/v1/iot/alerts?status=all&ids=nope", w.edge1(), null);
    assertThat(unknown.status()).isEqualTo(200);
    assertThat(unknown.json().get("alerts")).isEmpty();
  }

  @Test
  void batch_sentConcurrently_isStoredOnce() throws Exception {
    World w = world();
    long t = now() - 120_000;
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      events.append(i == 0 ? "" : ",").append(reading("cooler-1", t + i * 1000L, 30 + i % 5));
    }
    String body = "{\"batch_id\":\"race:1\",\"events\":[" + events + "]}";
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var answers = new java.util.ArrayList<java.util.concurrent.Future<Resp>>();
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> gzipBatch(w.edge1(), body)));
      }
      int fresh = 0;
      for (var a : answers) {
        Resp r = a.get();
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(50);
        fresh += r.json().get("duplicate").asBoolean() ? 0 : 1;
      }
      assertThat(fresh).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
    Resp q =
        call("GET", admin(w, "/devices/cooler-1/telemetry?period=1h&resolution=5m"), ADMIN, null);
    long count = 0;
    for (JsonNode b : q.json().get("readings")) {
      count += b.get("count").asLong();
    }
    assertThat(count).isEqualTo(50);
  }

  @Test
  void doorAndEquipmentReadings_areStoredAndQueriedInTheirOwnShape() {
    World w = world();
    for (String body :
        new String[] {
          "{\"device_id\":\"door-1\",\"device_type\":\"door\",\"location_id\":\""
              + w.loc1()
              + "\",\"name\":\"Walk-In Door\"}",
          "{\"device_id\":\"oven-1\",\"device_type\":\"oven\",\"location_id\":\""
              + w.loc1()
              + "\",\"name\":\"Oven\"}"
        }) {
      assertThat(register(w, body).status()).isEqualTo(201);
    }
    long t = now() - 60_000;
    Resp r =
        gzipBatch(
            w.edge1(),
            "{\"batch_id\":\"mix:1\",\"events\":["
                + "{\"device_id\":\"door-1\",\"device_type\":\"door\",\"ts\":"
                + t
                + ",\"open\":true},"
                + "{\"device_id\":\"door-1\",\"device_type\":\"door\",\"ts\":"
                + (t + 1000)
                + ",\"open\":false},"
                + "{\"device_id\":\"oven-1\",\"device_type\":\"oven\",\"ts\":"
                + t
                + ",\"state\":\"running\",\"attributes\":{\"temp\":425}},"
                // A door reading sent as another device type does not match the registry.
                + "{\"device_id\":\"door-1\",\"device_type\":\"temperature\",\"ts\":"
                + t
                + ",\"value\":1}"
                + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isEqualTo(3);
    assertThat(r.json().get("rejected").asInt()).isEqualTo(1);
    JsonNode door =
        call("GET", admin(w, "/devices/door-1/telemetry?period=1h"), ADMIN, null).json();
    assertThat(door.get("readings")).hasSize(2);
    assertThat(door.get("readings").get(0).get("open").asBoolean()).isTrue();
    assertThat(door.get("readings").get(0).has("value")).isFalse();
    JsonNode doorAgg =
        call("GET", admin(w, "/devices/door-1/telemetry?period=1h&resolution=5m"), ADMIN, null)
            .json()
            .get("readings");
    long opens = 0;
    for (JsonNode b : doorAgg) {
      opens += b.get("open_count").asLong();
    }
    assertThat(opens).isEqualTo(1);
    JsonNode oven =
        call("GET", admin(w, "/devices/oven-1/telemetry?period=1h"), ADMIN, null).json();
    assertThat(oven.get("readings").get(0).get("state").asText()).isEqualTo("running");
    JsonNode devices = call("GET", admin(w, "/devices"), ADMIN, null).json().get("devices");
    for (JsonNode d : devices) {
      if (d.get("device_id").asText().equals("oven-1")) {
        assertThat(d.get("last_value").asText()).isEqualTo("running");
        assertThat(d.get("status").asText()).isEqualTo("ok");
      }
    }
  }

  @Test
  void directReadings_whoseStoreFails_stayUnacknowledged_andAreStoredOnceItWorksAgain() {
    World w = world();
    var jdbi = server.database().jdbi();
    java.util.concurrent.atomic.AtomicInteger acks =
        new java.util.concurrent.atomic.AtomicInteger();
    String topic = "olympus/" + w.tenant() + "/" + w.loc1() + "/sensors/temperature/cooler-1";
    jdbi.useHandle(h -> h.execute("ALTER TABLE iot_readings RENAME TO iot_readings_away"));
    try {
      assertThat(
              server
                  .iot()
                  .direct()
                  .accept(
                      topic,
                      "{\"value\":35.5,\"unit\":\"F\"}".getBytes(StandardCharsets.UTF_8),
                      acks::incrementAndGet))
          .isTrue();
      server.iot().direct().drain();
      assertThat(acks.get()).isZero();
    } finally {
      jdbi.useHandle(h -> h.execute("ALTER TABLE iot_readings_away RENAME TO iot_readings"));
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(acks.get()).isEqualTo(1));
    Resp q = call("GET", admin(w, "/devices/cooler-1/telemetry?period=1h"), ADMIN, null);
    assertThat(q.json().get("readings")).hasSize(1);
  }
}
