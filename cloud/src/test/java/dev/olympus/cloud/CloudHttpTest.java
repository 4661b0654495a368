package dev.olympus.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.HttpClientSupport.Resp;
import dev.olympus.core.clock.HybridLogicalClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloud over real HTTP on loopback, on SQLite. */
class CloudHttpTest {
  static final String ADMIN = "test-admin-token";
  static final long MAX_BODY = 256 * 1024;

  @TempDir static Path dataDir;
  static CloudServer server;
  static HttpClientSupport http;

  /** One tenant with two locations and devices, made fresh per test. */
  record World(String tenant, String loc1, String loc2, String edge1, String edge2, String pos1) {}

  @BeforeAll
  static void start() {
    server =
        CloudServer.start(
            CloudSettings.defaults(dataDir)
                .withHost("127.0.0.1")
                .withAdminToken(ADMIN)
                .withMaxBodyBytes(MAX_BODY));
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
            post("/api/v1/admin/tenants", ADMIN, "{\"id\":\"" + t + "\",\"name\":\"Burgers\"}")
                .status())
        .isEqualTo(201);
    for (String l : new String[] {l1, l2}) {
      assertThat(
              post(
                      "/api/v1/admin/tenants/" + t + "/locations",
                      ADMIN,
                      "{\"id\":\"" + l + "\",\"name\":\"Downtown\"}")
                  .status())
          .isEqualTo(201);
    }
    return new World(
        t,
        l1,
        l2,
        device(t, l1, "edge-1", "olympus_edge"),
        device(t, l2, "edge-2", "olympus_edge"),
        device(t, l1, "pos-1", "pos_terminal"));
  }

  static String device(String tenant, String location, String id, String type) {
    Resp r =
        post(
            "/api/v1/admin/tenants/" + tenant + "/locations/" + location + "/devices",
            ADMIN,
            "{\"device_id\":\"" + id + "\",\"device_type\":\"" + type + "\"}");
    assertThat(r.status()).isEqualTo(201);
    return r.json().get("token").asText();
  }

  static Resp post(String path, String token, String body) {
    return http.call("POST", path, token, body);
  }

  static Resp get(String path, String token) {
    return http.call("GET", path, token, null);
  }

  static String op(String opId, String collection, String id, String data, long base) {
    long hlc = HybridLogicalClock.encode(System.currentTimeMillis(), 0);
    return "{\"op_id\":\"%s\",\"collection\":\"%s\",\"id\":\"%s\",\"action\":\"put\",\"data\":%s,\"base_version\":%d,\"hlc\":%d,\"node_id\":\"edge-1\"}"
        .formatted(opId, collection, id, data, base, hlc);
  }

  @Test
  void health_noToken_ok() {
    Resp r = get("/api/health", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("ok");
  }

  @Test
  void metrics_afterPush_countsOpsByOutcome() {
    World w = world();
    post("/api/v1/sync/push", w.edge1(), "{\"ops\":[" + op("m-1", "tables", "t1", "{}", 0) + "]}");
    Resp r = get("/metrics", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("olympus_sync_ops_total{outcome=\"applied\"}");
    assertThat(r.body()).contains("olympus_sync_push_batches_total");
  }

  @Test
  void adminToken_notConfigured_generatedOnceWithMode600AndReused(@TempDir Path dir)
      throws Exception {
    String first;
    try (CloudServer s = CloudServer.start(CloudSettings.defaults(dir).withHost("127.0.0.1"))) {
      first = s.adminToken();
      assertThat(first).isNotBlank();
    }
    Path file = dir.resolve("admin-token");
    assertThat(Files.readString(file).strip()).isEqualTo(first);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    try (CloudServer s = CloudServer.start(CloudSettings.defaults(dir).withHost("127.0.0.1"))) {
      assertThat(s.adminToken()).isEqualTo(first);
    }
  }

  @Test
  void adminFlow_createTenantLocationDevice_tokenIsShownOnceAndWorks() {
    World w = world();
    assertThat(w.edge1()).matches("oly_[A-Za-z0-9_-]{43}");

    Resp dupTenant =
        post("/api/v1/admin/tenants", ADMIN, "{\"id\":\"" + w.tenant() + "\",\"name\":\"x\"}");
    Resp dupDevice =
        post(
            "/api/v1/admin/tenants/" + w.tenant() + "/locations/" + w.loc1() + "/devices",
            ADMIN,
            "{\"device_id\":\"edge-1\",\"device_type\":\"olympus_edge\"}");
    Resp config = get("/api/v1/sync/config", w.edge1());
    Resp devices =
        get("/api/v1/admin/tenants/" + w.tenant() + "/locations/" + w.loc1() + "/devices", ADMIN);

    assertThat(dupTenant.status()).isEqualTo(409);
    assertThat(dupDevice.status()).isEqualTo(409);
    assertThat(dupDevice.field()).isEqualTo("device_id");
    assertThat(config.status()).isEqualTo(200);
    assertThat(config.json().at("/sync_config/tables/orders/strategy").asText())
        .isEqualTo("custom:orders");
    assertThat(devices.body()).contains("edge-1").contains("pos-1").doesNotContain(w.edge1());
  }

  @Test
  void devicesFeed_registerAndRevoke_publishedToTheLocationOnly() {
    World w = world();
    Resp pull1 = get("/api/v1/sync/pull?since=0", w.edge1());
    Resp pull2 = get("/api/v1/sync/pull?since=0", w.edge2());
    assertThat(pull1.status()).isEqualTo(200);
    assertThat(pull1.json().get("changes").findValuesAsText("id")).contains("edge-1", "pos-1");
    assertThat(pull2.json().get("changes").findValuesAsText("id")).containsExactly("edge-2");
    JsonNode edgeRecord = pull1.json().get("changes").get(0).get("record");
    assertThat(edgeRecord.get("collection").asText()).isEqualTo("_devices");
    assertThat(edgeRecord.at("/data/token_sha256").asText()).hasSize(64);

    Resp revoke =
        http.call(
            "DELETE",
            "/api/v1/admin/tenants/" + w.tenant() + "/locations/" + w.loc1() + "/devices/pos-1",
            ADMIN,
            null);

    assertThat(revoke.status()).isEqualTo(200);
    assertThat(get("/api/v1/records/tables", w.pos1()).status()).isEqualTo(401);
    Resp after =
        get("/api/v1/sync/pull?since=" + pull1.json().get("next_since").asLong(), w.edge1());
    assertThat(after.json().at("/changes/0/record/data/revoked").asBoolean()).isTrue();
  }

  @Test
  void adminApi_withoutOrWithDeviceToken_refused() {
    World w = world();
    assertThat(post("/api/v1/admin/tenants", null, "{\"id\":\"x\",\"name\":\"y\"}").status())
        .isEqualTo(401);
    assertThat(post("/api/v1/admin/tenants", "oly_nope", "{\"id\":\"x\",\"name\":\"y\"}").status())
        .isEqualTo(401);
    Resp withDevice = get("/api/v1/admin/tenants/" + w.tenant() + "/sync-config", w.edge1());
    assertThat(withDevice.status()).isEqualTo(403);
    assertThat(withDevice.error()).isEqualTo("forbidden");
    assertThat(
            post("/api/v1/sync/trigger", w.edge1(), "{\"location_id\":\"" + w.loc1() + "\"}")
                .status())
        .isEqualTo(403);
  }

  @Test
  void records_putGetPatchDeleteList_roundTripWithVersions() {
    World w = world();
    Resp created = http.call("PUT", "/api/v1/records/tables/t-1", w.pos1(), "{\"seats\":4}");
    Resp replaced = http.call("PUT", "/api/v1/records/tables/t-1", w.pos1(), "{\"seats\":5}");
    Resp patched =
        http.call("PATCH", "/api/v1/records/tables/t-1", w.pos1(), "{\"zone\":\"patio\"}");
    Resp read = get("/api/v1/records/tables/t-1", w.pos1());
    http.call("PUT", "/api/v1/records/tables/t-2", w.pos1(), "{\"seats\":2}");
    Resp page1 = get("/api/v1/records/tables?limit=1", w.pos1());
    Resp page2 = get("/api/v1/records/tables?limit=1&after=t-1", w.pos1());
    Resp deleted = http.call("DELETE", "/api/v1/records/tables/t-1", w.pos1(), null);
    Resp gone = get("/api/v1/records/tables/t-1", w.pos1());
    Resp patchGone = http.call("PATCH", "/api/v1/records/tables/missing", w.pos1(), "{\"a\":1}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.raw().headers().firstValue("ETag"))
        .hasValue(created.json().get("version").asText());
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(patched.json().get("data")).hasSize(2);
    assertThat(read.json().at("/data/zone").asText()).isEqualTo("patio");
    assertThat(read.json().at("/data/seats").asInt()).isEqualTo(5);
    assertThat(page1.json().get("records").findValuesAsText("id")).containsExactly("t-1");
    assertThat(page1.json().get("next_after").asText()).isEqualTo("t-1");
    assertThat(page2.json().get("records").findValuesAsText("id")).containsExactly("t-2");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
    assertThat(gone.status()).isEqualTo(404);
    assertThat(patchGone.status()).isEqualTo(404);
    // The cloud write reaches the location's edge through the feed.
    Resp pull = get("/api/v1/sync/pull?since=0", w.edge1());
    assertThat(pull.json().get("changes").findValuesAsText("id")).contains("t-1", "t-2");
  }

  @Test
  void records_missingOrDeleted_patchAndDelete404_putRecreates201() {
    World w = world();
    http.call("PUT", "/api/v1/records/tables/t-1", w.pos1(), "{\"seats\":4}");
    Resp deleted = http.call("DELETE", "/api/v1/records/tables/t-1", w.pos1(), null);
    Resp deletedAgain = http.call("DELETE", "/api/v1/records/tables/t-1", w.pos1(), null);
    Resp patchDeleted = http.call("PATCH", "/api/v1/records/tables/t-1", w.pos1(), "{\"a\":1}");
    Resp deleteMissing = http.call("DELETE", "/api/v1/records/tables/never", w.pos1(), null);
    Resp recreated = http.call("PUT", "/api/v1/records/tables/t-1", w.pos1(), "{\"seats\":2}");
    Resp replaced = http.call("PUT", "/api/v1/records/tables/t-1", w.pos1(), "{\"seats\":3}");

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deletedAgain.status()).isEqualTo(404);
    assertThat(deletedAgain.error()).isEqualTo("not_found");
    assertThat(patchDeleted.status()).isEqualTo(404);
    assertThat(deleteMissing.status()).isEqualTo(404);
    assertThat(recreated.status()).isEqualTo(201);
    assertThat(replaced.status()).isEqualTo(200);
    // A refused delete leaves no tombstone.
    Resp pull = get("/api/v1/sync/pull?since=0", w.edge1());
    assertThat(pull.json().get("changes").findValuesAsText("id"))
        .contains("t-1")
        .doesNotContain("never");
  }

  @Test
  void records_appendOnlyChangedThroughApi_conflict409() {
    World w = world();
    assertThat(
            http.call("PUT", "/api/v1/records/payments/p-1", w.pos1(), "{\"amount\":5}").status())
        .isEqualTo(201);
    Resp again = http.call("PUT", "/api/v1/records/payments/p-1", w.pos1(), "{\"amount\":6}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error()).isEqualTo("append_only");
  }

  @Test
  void deviceScoping_otherLocationOrTenant_neverSeesOrChangesTheData() {
    World w = world();
    World other = world();
    http.call("PUT", "/api/v1/records/tables/secret", w.edge2(), "{\"seats\":9}");

    Resp readOtherLocation = get("/api/v1/records/tables/secret", w.edge1());
    Resp writeOtherLocation =
        http.call("PUT", "/api/v1/records/tables/secret", w.edge1(), "{\"seats\":1}");
    Resp deleteOtherLocation =
        http.call("DELETE", "/api/v1/records/tables/secret", w.edge1(), null);
    Resp listOtherLocation = get("/api/v1/records/tables", w.edge1());
    Resp readOtherTenant = get("/api/v1/records/tables/secret", other.edge1());
    Resp pushOtherLocation =
        post(
            "/api/v1/sync/push",
            w.edge1(),
            "{\"ops\":[" + op("x-1", "tables", "secret", "{\"seats\":0}", 0) + "]}");
    Resp statusOtherLocation = get("/api/v1/sync/status/" + w.loc2(), w.edge1());
    Resp statusOtherTenant = get("/api/v1/sync/status/" + w.loc2(), other.edge1());
    Resp adminOtherTenantLocation =
        post(
            "/api/v1/admin/tenants/" + other.tenant() + "/locations/" + w.loc1() + "/devices",
            ADMIN,
            "{\"device_id\":\"d\",\"device_type\":\"kds\"}");

    assertThat(readOtherLocation.status()).isEqualTo(404);
    assertThat(readOtherLocation.body()).doesNotContain("seats");
    assertThat(writeOtherLocation.status()).isEqualTo(403);
    assertThat(deleteOtherLocation.status()).isEqualTo(403);
    assertThat(listOtherLocation.json().get("records")).isEmpty();
    assertThat(readOtherTenant.status()).isEqualTo(404);
    assertThat(pushOtherLocation.json().at("/results/0/outcome").asText()).isEqualTo("rejected");
    assertThat(pushOtherLocation.json().at("/results/0/error/error").asText())
        .isEqualTo("forbidden");
    assertThat(statusOtherLocation.status()).isEqualTo(403);
    assertThat(statusOtherTenant.status()).isEqualTo(404);
    assertThat(adminOtherTenantLocation.status()).isEqualTo(404);
    assertThat(get("/api/v1/records/tables/secret", w.edge2()).json().at("/data/seats").asInt())
        .isEqualTo(9);
  }

  @Test
  void push_mixOfValidAndInvalidOps_validAppliedBadOnesReportedPerOp() {
    World w = world();
    String body =
        "{\"ops\":["
            + op("ok-1", "orders", "o-1", "{\"status\":\"pending\"}", 0)
            + ",{\"op_id\":\"bad-1\",\"collection\":\"_devices\",\"id\":\"x\",\"action\":\"put\",\"data\":{},\"hlc\":1,\"node_id\":\"n\"}"
            + ",{\"op_id\":\"bad-2\",\"collection\":\"orders\",\"id\":\"o-2\",\"action\":\"put\",\"data\":{},\"hlc\":\"soon\",\"node_id\":\"n\"}"
            + ",42"
            + ",{\"op_id\":\"bad-3\",\"collection\":\"orders\",\"id\":\"o-3\",\"action\":\"upsert\",\"data\":{},\"hlc\":1,\"node_id\":\"n\"}"
            + ","
            + op("ok-2", "orders", "o-4", "{\"status\":\"pending\"}", 0)
            + "]}";

    Resp r = post("/api/v1/sync/push", w.edge1(), body);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("results").findValuesAsText("outcome"))
        .containsExactly("applied", "rejected", "rejected", "rejected", "rejected", "applied");
    assertThat(r.json().at("/results/1/error/field").asText()).isEqualTo("collection");
    assertThat(r.json().at("/results/2/error/field").asText()).isEqualTo("hlc");
    assertThat(r.json().at("/results/4/error/field").asText()).isEqualTo("action");
    assertThat(r.json().at("/results/0/seq").asLong()).isPositive();
    Resp again =
        post(
            "/api/v1/sync/push",
            w.edge1(),
            "{\"ops\":[" + op("ok-1", "orders", "o-1", "{}", 0) + "]}");
    assertThat(again.json().at("/results/0/outcome").asText()).isEqualTo("duplicate");
    assertThat(again.json().at("/results/0/seq").asLong())
        .isEqualTo(r.json().at("/results/0/seq").asLong());
  }

  @Test
  void push_byNonEdgeDevice_forbidden() {
    World w = world();
    Resp r = post("/api/v1/sync/push", w.pos1(), "{\"ops\":[]}");
    assertThat(r.status()).isEqualTo(403);
  }

  @Test
  void badInput_everyInputEndpoint_answers4xxJsonNamingTheProblem() {
    World w = world();
    String t = "/api/v1/admin/tenants/" + w.tenant();
    Map<String, Resp> cases = new java.util.LinkedHashMap<>();
    cases.put("tenant malformed", post("/api/v1/admin/tenants", ADMIN, "{\"id\":"));
    cases.put(
        "tenant wrong type", post("/api/v1/admin/tenants", ADMIN, "{\"id\":5,\"name\":\"x\"}"));
    cases.put("tenant missing name", post("/api/v1/admin/tenants", ADMIN, "{\"id\":\"zz\"}"));
    cases.put("tenant not object", post("/api/v1/admin/tenants", ADMIN, "[1,2]"));
    cases.put("location malformed", post(t + "/locations", ADMIN, "nope"));
    cases.put("location missing id", post(t + "/locations", ADMIN, "{\"name\":\"x\"}"));
    cases.put(
        "device bad type",
        post(
            t + "/locations/" + w.loc1() + "/devices",
            ADMIN,
            "{\"device_id\":\"d\",\"device_type\":\"toaster\"}"));
    cases.put(
        "device bad id",
        post(
            t + "/locations/" + w.loc1() + "/devices",
            ADMIN,
            "{\"device_id\":\"a b\",\"device_type\":\"kds\"}"));
    cases.put("config malformed", http.call("PUT", t + "/sync-config", ADMIN, "{"));
    cases.put(
        "config unknown resolver",
        http.call(
            "PUT",
            t + "/sync-config",
            ADMIN,
            "{\"sync_config\":{\"interval_seconds\":30,\"batch_size\":100,\"retry_attempts\":5,\"conflict_strategy\":\"last_write_wins\",\"tables\":{\"orders\":{\"priority\":\"high\",\"strategy\":\"custom:nope\"}}}}"));
    cases.put(
        "config wrong type",
        http.call(
            "PUT",
            t + "/sync-config",
            ADMIN,
            "{\"sync_config\":{\"interval_seconds\":\"often\",\"batch_size\":100,\"retry_attempts\":5,\"conflict_strategy\":\"merge\"}}"));
    cases.put(
        "config bad priority",
        http.call(
            "PUT",
            t + "/sync-config",
            ADMIN,
            "{\"sync_config\":{\"interval_seconds\":30,\"batch_size\":100,\"retry_attempts\":5,\"conflict_strategy\":\"merge\",\"tables\":{\"x\":{\"priority\":\"urgent\",\"strategy\":\"merge\"}}}}"));
    cases.put(
        "config out of range",
        http.call(
            "PUT",
            t + "/sync-config",
            ADMIN,
            "{\"sync_config\":{\"interval_seconds\":0,\"batch_size\":100,\"retry_attempts\":5,\"conflict_strategy\":\"merge\"}}"));
    cases.put("push malformed", post("/api/v1/sync/push", w.edge1(), "{\"ops\":[}"));
    cases.put("push ops not array", post("/api/v1/sync/push", w.edge1(), "{\"ops\":{}}"));
    cases.put("push missing ops", post("/api/v1/sync/push", w.edge1(), "{}"));
    cases.put(
        "push too many ops",
        post("/api/v1/sync/push", w.edge1(), "{\"ops\":[" + "{},".repeat(10_000) + "{}]}"));
    cases.put("pull bad since", get("/api/v1/sync/pull?since=abc", w.edge1()));
    cases.put("pull limit too big", get("/api/v1/sync/pull?limit=10001", w.edge1()));
    cases.put(
        "notifications bad timeout", get("/api/v1/sync/notifications?timeout_ms=-1", w.edge1()));
    cases.put("report malformed", post("/api/v1/sync/report", w.edge1(), "{{"));
    cases.put(
        "report wrong type",
        post(
            "/api/v1/sync/report",
            w.edge1(),
            "{\"pending_count\":\"many\",\"consecutive_failures\":0}"));
    cases.put("report negative", post("/api/v1/sync/report", w.edge1(), "{\"pending_count\":-1}"));
    cases.put("trigger malformed", post("/api/v1/sync/trigger", ADMIN, "]"));
    cases.put("trigger missing location", post("/api/v1/sync/trigger", ADMIN, "{}"));
    cases.put(
        "trigger bad priority",
        post(
            "/api/v1/sync/trigger",
            ADMIN,
            "{\"location_id\":\"" + w.loc1() + "\",\"priority\":\"asap\"}"));
    cases.put(
        "trigger unknown location",
        post("/api/v1/sync/trigger", ADMIN, "{\"location_id\":\"nowhere\"}"));
    cases.put(
        "record malformed", http.call("PUT", "/api/v1/records/tables/t1", w.pos1(), "{\"a\":"));
    cases.put(
        "record not object", http.call("PUT", "/api/v1/records/tables/t1", w.pos1(), "\"text\""));
    cases.put(
        "record bad collection", http.call("PUT", "/api/v1/records/Tables/t1", w.pos1(), "{}"));
    cases.put(
        "record reserved collection",
        http.call("PUT", "/api/v1/records/_devices/t1", w.pos1(), "{}"));
    cases.put(
        "record bad if-match",
        http.call(
            "PUT", "/api/v1/records/tables/t1", w.pos1(), "{}", Map.of("If-Match", "yesterday")));
    cases.put("record list bad limit", get("/api/v1/records/tables?limit=0", w.pos1()));
    cases.put(
        "record empty patch",
        http.call("PUT", "/api/v1/records/tables/tp", w.pos1(), "{\"a\":1}").status() == 201
            ? http.call("PATCH", "/api/v1/records/tables/tp", w.pos1(), "{}")
            : null);
    cases.put("review unknown op", post(t + "/review-queue/nope/requeue", ADMIN, null));
    cases.put("review bad status", get(t + "/review-queue?status=lost", ADMIN));
    cases.put("unknown tenant", get("/api/v1/admin/tenants/nobody/sync-config", ADMIN));
    cases.put("unknown endpoint", get("/api/v1/nothing-here", ADMIN));
    cases.put(
        "duplicate keys",
        post("/api/v1/admin/tenants", ADMIN, "{\"id\":\"a\",\"id\":\"b\",\"name\":\"x\"}"));

    cases.forEach(
        (name, r) -> {
          assertThat(r).as(name).isNotNull();
          assertThat(r.status()).as(name + ": " + r.body()).isBetween(400, 499);
          assertThat(r.error()).as(name + " error code").isNotBlank();
          assertThat(r.json().get("message").asText()).as(name + " message").isNotBlank();
        });
    assertThat(cases.get("tenant wrong type").field()).isEqualTo("id");
    assertThat(cases.get("tenant missing name").error()).isEqualTo("missing_field");
    assertThat(cases.get("tenant malformed").error()).isEqualTo("invalid_json");
    assertThat(cases.get("config unknown resolver").json().get("message").asText())
        .contains("custom:nope");
    assertThat(cases.get("push too many ops").field()).isEqualTo("ops");
    assertThat(cases.get("trigger unknown location").status()).isEqualTo(404);
    assertThat(cases.get("unknown tenant").status()).isEqualTo(404);
  }

  @Test
  void body_overTheLimit_413WithOrWithoutContentLength() throws Exception {
    World w = world();
    String big = "{\"ops\":[],\"pad\":\"" + "x".repeat((int) MAX_BODY) + "\"}";
    Resp declared = post("/api/v1/sync/push", w.edge1(), big);
    HttpResponse<String> chunked =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.port() + "/api/v1/records/tables/big"))
                    .header("Authorization", "Bearer " + w.pos1())
                    .PUT(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(big.getBytes())))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.error()).isEqualTo("body_too_large");
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body()).contains("body_too_large");
    assertThat(get("/api/v1/records/tables/big", w.pos1()).status()).isEqualTo(404);
  }

  @Test
  void syncConfig_replaced_validAcceptedAndServed() {
    World w = world();
    String t = "/api/v1/admin/tenants/" + w.tenant();
    Resp put =
        http.call(
            "PUT",
            t + "/sync-config",
            ADMIN,
            "{\"sync_config\":{\"interval_seconds\":10,\"batch_size\":500,\"retry_attempts\":3,\"conflict_strategy\":\"server_wins\",\"tables\":{\"orders\":{\"priority\":\"high\",\"strategy\":\"custom:orders\"}}}}");
    assertThat(put.status()).isEqualTo(200);
    Resp read = get("/api/v1/sync/config", w.edge1());
    assertThat(read.json().at("/sync_config/batch_size").asInt()).isEqualTo(500);
    assertThat(read.json().at("/sync_config/conflict_strategy").asText()).isEqualTo("server_wins");
  }

  @Test
  void reviewQueue_overHttp_listRequeueDiscard() {
    World w = world();
    String t = "/api/v1/admin/tenants/" + w.tenant();
    http.call(
        "PUT",
        t + "/sync-config",
        ADMIN,
        "{\"sync_config\":{\"interval_seconds\":10,\"batch_size\":500,\"retry_attempts\":1,\"conflict_strategy\":\"last_write_wins\"}}");
    String patch =
        "{\"op_id\":\"rq-1\",\"collection\":\"tables\",\"id\":\"later\",\"action\":\"patch\",\"data\":{\"a\":1},\"hlc\":%d,\"node_id\":\"edge-1\"}"
            .formatted(HybridLogicalClock.encode(System.currentTimeMillis() + 1000, 0));
    String patch2 = patch.replace("rq-1", "rq-2");
    Resp pushed = post("/api/v1/sync/push", w.edge1(), "{\"ops\":[" + patch + "," + patch2 + "]}");
    assertThat(pushed.json().at("/results/0/queued_for_review").asBoolean()).isTrue();

    Resp list = get(t + "/review-queue", ADMIN);
    assertThat(list.json().get("items"))
        .extracting(i -> i.get("op_id").asText())
        .containsExactly("rq-1", "rq-2");
    http.call("PUT", "/api/v1/records/tables/later", w.edge1(), "{\"b\":2}");
    Resp requeued = post(t + "/review-queue/rq-1/requeue", ADMIN, null);
    Resp discarded = post(t + "/review-queue/rq-2/discard", ADMIN, null);

    assertThat(requeued.status()).isEqualTo(200);
    // The record now exists, so the patch applies (resolved against the newer cloud write).
    assertThat(requeued.json().at("/result/outcome").asText()).isIn("applied", "merged");
    assertThat(get(t + "/review-queue?status=requeued", ADMIN).json().get("items")).hasSize(1);
    assertThat(discarded.status()).isEqualTo(200);
    assertThat(get(t + "/review-queue", ADMIN).json().get("items")).isEmpty();
    assertThat(post(t + "/review-queue/rq-2/requeue", ADMIN, null).status()).isEqualTo(404);
  }

  @Test
  void conflicts_overHttp_listAuditedResolutions() {
    World w = world();
    post(
        "/api/v1/sync/push",
        w.edge1(),
        "{\"ops\":[" + op("c-1", "orders", "o-1", "{\"status\":\"ready\"}", 0) + "]}");
    post(
        "/api/v1/sync/push",
        w.edge1(),
        "{\"ops\":[" + op("c-2", "orders", "o-1", "{\"status\":\"pending\"}", 0) + "]}");

    Resp r =
        get("/api/v1/admin/tenants/" + w.tenant() + "/conflicts?location_id=" + w.loc1(), ADMIN);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("conflicts")).hasSize(1);
    assertThat(r.json().at("/conflicts/0/resolved/data/status").asText()).isEqualTo("ready");
  }

  @Test
  void status_afterReports_followsPendingAndFailures() {
    World w = world();
    String path = "/api/v1/sync/status/" + w.loc1();
    Resp offline = get(path, ADMIN);
    Resp reported =
        post(
            "/api/v1/sync/report",
            w.edge1(),
            "{\"pending_count\":12,\"oldest_pending_age_ms\":500,\"last_cycle_ms\":40,"
                + "\"consecutive_failures\":0}");
    Resp syncing = get(path, ADMIN);
    post(
        "/api/v1/sync/report",
        w.edge1(),
        "{\"pending_count\":0,\"last_cycle_ms\":35,\"consecutive_failures\":0}");
    Resp synced = get(path, w.pos1());
    post("/api/v1/sync/report", w.edge1(), "{\"pending_count\":3,\"consecutive_failures\":5}");
    Resp error = get(path, ADMIN);
    Resp unknown = get("/api/v1/sync/status/nowhere", ADMIN);

    assertThat(offline.json().get("status").asText()).isEqualTo("offline");
    assertThat(offline.json().get("last_sync").isNull()).isTrue();
    assertThat(reported.status()).isEqualTo(204);
    assertThat(syncing.json().get("status").asText()).isEqualTo("syncing");
    assertThat(syncing.json().get("pending_count").asInt()).isEqualTo(12);
    assertThat(synced.status()).isEqualTo(200);
    assertThat(synced.json().get("status").asText()).isEqualTo("synced");
    assertThat(synced.json().get("latency_ms").asInt()).isEqualTo(35);
    assertThat(synced.json().get("location_id").asText()).isEqualTo(w.loc1());
    assertThat(error.json().get("status").asText()).isEqualTo("error");
    assertThat(error.json().get("last_sync").asText()).isNotBlank();
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void trigger_whileLongPolling_pollReturnsPromptlyWithTrigger() throws Exception {
    World w = world();
    long latest =
        get("/api/v1/sync/notifications?timeout_ms=0", w.edge1()).json().get("latest_seq").asLong();
    CompletableFuture<Resp> poll =
        CompletableFuture.supplyAsync(
            () ->
                get(
                    "/api/v1/sync/notifications?after_seq=" + latest + "&timeout_ms=20000",
                    w.edge1()));
    // Give the poll time to park; the trigger is also kept for a poll that arrives later.
    Thread.sleep(200);
    long started = System.nanoTime();
    Resp trigger =
        post(
            "/api/v1/sync/trigger",
            ADMIN,
            "{\"location_id\":\"" + w.loc1() + "\",\"priority\":\"high\"}");
    Resp answer = poll.get(5, TimeUnit.SECONDS);

    assertThat(trigger.status()).isEqualTo(202);
    assertThat(answer.json().get("trigger").asBoolean()).isTrue();
    assertThat(answer.json().get("priority").asText()).isEqualTo("high");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
    Resp next = get("/api/v1/sync/notifications?after_seq=" + latest + "&timeout_ms=50", w.edge1());
    assertThat(next.json().get("trigger").asBoolean()).isFalse();
  }

  @Test
  void notifications_changeCommittedForLocation_pollReturnsWithNewSeq() throws Exception {
    World w = world();
    long latest =
        get("/api/v1/sync/notifications?timeout_ms=0", w.edge1()).json().get("latest_seq").asLong();
    CompletableFuture<Resp> poll =
        CompletableFuture.supplyAsync(
            () ->
                get(
                    "/api/v1/sync/notifications?after_seq=" + latest + "&timeout_ms=20000",
                    w.edge1()));
    Thread.sleep(200);
    http.call("PUT", "/api/v1/records/tables/n-1", w.pos1(), "{\"a\":1}");

    Resp answer = poll.get(5, TimeUnit.SECONDS);

    assertThat(answer.json().get("latest_seq").asLong()).isGreaterThan(latest);
    assertThat(answer.json().get("trigger").asBoolean()).isFalse();
  }

  @Test
  void enterpriseRecords_writtenByAdmin_readableByEveryLocationWritableByNone() {
    World w = world();
    String path = "/api/v1/admin/tenants/" + w.tenant() + "/records/menu_items/burger";

    Resp created = http.call("PUT", path, ADMIN, "{\"name\":\"Classic\",\"price\":899}");
    Resp byDevice = get("/api/v1/records/menu_items/burger", w.pos1());
    Resp writeByDevice = http.call("PUT", "/api/v1/records/menu_items/burger", w.pos1(), "{}");
    Resp pulledAtLoc2 = get("/api/v1/sync/pull?since=0", w.edge2());
    Resp wrongTenant =
        http.call("PUT", "/api/v1/admin/tenants/nobody/records/menu_items/burger", ADMIN, "{}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(byDevice.status()).isEqualTo(200);
    assertThat(byDevice.json().at("/data/price").asInt()).isEqualTo(899);
    assertThat(writeByDevice.status()).isEqualTo(403);
    assertThat(pulledAtLoc2.json().get("changes").findValuesAsText("id")).contains("burger");
    assertThat(wrongTenant.status()).isEqualTo(404);
  }
}
