package dev.olympus.cloud.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.cloud.HttpClientSupport;
import dev.olympus.cloud.HttpClientSupport.Resp;
import dev.olympus.cloud.TestDatabases;
import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.web.realtime.CloseCodes;
import dev.olympus.web.testing.TestSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudRealtimeTest {
  private static final String ADMIN = "admin-secret-for-realtime-tests";

  @TempDir static Path dataDir;
  static CloudServer server;
  static HttpClientSupport http;
  private final List<TestSocket> sockets = new ArrayList<>();

  /** A tenant with two locations; tokens by device. */
  record World(String tenant, String loc1, String loc2, Map<String, String> tokens) {
    String token(String device) {
      return tokens.get(device);
    }
  }

  @BeforeAll
  static void start() {
    server =
        CloudServer.start(
            CloudSettings.defaults(dataDir).withHost("127.0.0.1").withAdminToken(ADMIN));
    http = new HttpClientSupport(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeSockets() {
    sockets.forEach(TestSocket::close);
  }

  static World world() {
    String t = TestDatabases.unique("t");
    String l1 = TestDatabases.unique("loc1");
    String l2 = TestDatabases.unique("loc2");
    assertThat(
            call("POST", "/api/v1/admin/tenants", ADMIN, "{\"id\":\"" + t + "\",\"name\":\"B\"}")
                .status())
        .isEqualTo(201);
    for (String l : List.of(l1, l2)) {
      assertThat(
              call(
                      "POST",
                      "/api/v1/admin/tenants/" + t + "/locations",
                      ADMIN,
                      "{\"id\":\"" + l + "\",\"name\":\"D\"}")
                  .status())
          .isEqualTo(201);
    }
    Map<String, String> tokens = new java.util.HashMap<>();
    tokens.put("edge-1", device(t, l1, "edge-1", "olympus_edge"));
    tokens.put("pos-1", device(t, l1, "pos-1", "pos_terminal"));
    tokens.put("pos-2", device(t, l1, "pos-2", "pos_terminal"));
    tokens.put("pos-9", device(t, l2, "pos-9", "pos_terminal"));
    return new World(t, l1, l2, tokens);
  }

  static String device(String tenant, String location, String id, String type) {
    Resp r =
        call(
            "POST",
            "/api/v1/admin/tenants/" + tenant + "/locations/" + location + "/devices",
            ADMIN,
            "{\"device_id\":\"" + id + "\",\"device_type\":\"" + type + "\"}");
    assertThat(r.status()).isEqualTo(201);
    return r.json().get("token").asText();
  }

  static Resp call(String method, String path, String token, String body) {
    return http.call(method, path, token, body);
  }

  private TestSocket connect(World w, String device, String location, String extra) {
    return connectAs(
        w.token(device),
        "device_id=" + device + "&restaurant_id=" + location + "&user_id=u-" + device + extra);
  }

  private TestSocket connectAs(String token, String query) {
    TestSocket s = TestSocket.open("ws://127.0.0.1:" + server.port() + "/ws/sync?" + query, token);
    sockets.add(s);
    return s;
  }

  private static Map<String, Object> welcome(TestSocket s) throws InterruptedException {
    Map<String, Object> w = s.next(3000);
    assertThat(w).containsEntry("type", "welcome").containsEntry("server", "cloud");
    return w;
  }

  private static long num(Object o) {
    return ((Number) o).longValue();
  }

  private static long latestSeq(World w, String token) {
    Resp r = call("GET", "/api/v1/sync/pull?since=0&limit=1000", token, null);
    assertThat(r.status()).isEqualTo(200);
    return r.json().get("next_since").asLong();
  }

  @Test
  void recordsWrite_twoDevicesOfOneLocation_seeItWithKindSeqAndPrevSeq_othersSeeNothing()
      throws Exception {
    World w = world();
    World other = world();
    TestSocket a = connect(w, "pos-1", w.loc1(), "");
    TestSocket b = connect(w, "pos-2", w.loc1(), "");
    TestSocket otherLocation = connect(w, "pos-9", w.loc2(), "&since=0");
    TestSocket otherTenant = connect(other, "pos-1", other.loc1(), "&since=0");
    Map<String, Object> wa = welcome(a);
    assertThat(wa)
        .containsEntry("stream", "cloud:" + w.tenant())
        .containsEntry("restaurant_id", w.loc1());
    long start = num(wa.get("latest_seq"));
    welcome(b);
    welcome(otherLocation);
    welcome(otherTenant);

    Resp put =
        call(
            "PUT",
            "/api/v1/records/orders/o1",
            w.token("pos-1"),
            "{\"status\":\"pending\",\"total\":9}");
    assertThat(put.status()).isEqualTo(201);
    // One at a time: the feed is state-based, two quick writes may reach a device as one.
    List<Map<String, Object>> createdFrames = List.of(a.next(3000), b.next(3000));
    Resp patch =
        call("PATCH", "/api/v1/records/orders/o1", w.token("pos-1"), "{\"status\":\"ready\"}");
    assertThat(patch.status()).isEqualTo(200);

    for (TestSocket s : List.of(a, b)) {
      Map<String, Object> created = createdFrames.get(s == a ? 0 : 1);
      assertThat(created)
          .containsEntry("type", "order_update")
          .containsEntry("action", "created")
          .containsEntry("collection", "orders")
          .containsEntry("id", "o1");
      assertThat(num(created.get("prev_seq"))).isEqualTo(start);
      Map<String, Object> changed = s.next(3000);
      assertThat(changed).containsEntry("action", "status_changed");
      assertThat(num(changed.get("prev_seq"))).isEqualTo(num(created.get("seq")));
      assertThat(num(changed.get("seq"))).isGreaterThan(num(created.get("seq")));
      assertThat(changed.get("version").toString())
          .isEqualTo(patch.raw().headers().firstValue("ETag").orElseThrow());
      assertThat(changed.get("data")).isEqualTo(Map.of("status", "ready", "total", 9));
    }
    assertThat(otherLocation.nextOrNull(300)).isNull();
    assertThat(otherTenant.nextOrNull(50)).isNull();
  }

  @Test
  void connect_sinceAndResume_replayTheLocationsChangesInOrder() throws Exception {
    World w = world();
    for (int i = 0; i < 5; i++) {
      call("PUT", "/api/v1/records/tables/t" + i, w.token("pos-1"), "{\"status\":\"available\"}");
    }
    call("PUT", "/api/v1/records/tables/elsewhere", w.token("pos-9"), "{\"status\":\"occupied\"}");
    TestSocket s = connect(w, "pos-2", w.loc1(), "&since=0");
    welcome(s);
    long prev = 0;
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Map<String, Object> f = s.next(3000);
      assertThat(f).containsEntry("type", "table_update").containsEntry("action", "available");
      assertThat(num(f.get("prev_seq"))).isEqualTo(prev);
      prev = num(f.get("seq"));
      seqs.add(prev);
    }
    assertThat(s.nextOrNull(200)).isNull();

    s.send("{\"type\":\"resume\",\"since\":" + seqs.get(2) + "}");
    Map<String, Object> again = s.next(3000);
    assertThat(num(again.get("prev_seq"))).isEqualTo(seqs.get(2));
    assertThat(num(again.get("seq"))).isEqualTo(seqs.get(3));
    assertThat(num(s.next(3000).get("seq"))).isEqualTo(seqs.get(4));
  }

  @Test
  void connect_since_replayedChangesAreNamedByTheActionStoredWithThem() throws Exception {
    // Nobody is connected while these are written, so the hub never saw the records before: a
    // replay can name the changes only by what the store kept with them.
    World w = world();
    String pos = w.token("pos-1");
    call("PUT", "/api/v1/records/orders/o-1", pos, "{\"status\":\"pending\",\"total\":\"9.50\"}");
    call("PATCH", "/api/v1/records/orders/o-1", pos, "{\"status\":\"preparing\"}");
    call("PUT", "/api/v1/records/orders/o-2", pos, "{\"status\":\"pending\",\"total\":\"4.00\"}");
    call("PATCH", "/api/v1/records/orders/o-2", pos, "{\"status\":\"completed\"}");
    call("PUT", "/api/v1/records/menu_items/m-1", pos, "{\"name\":\"Fries\",\"available\":true}");
    call("PATCH", "/api/v1/records/menu_items/m-1", pos, "{\"available\":false}");
    call("PUT", "/api/v1/records/users/u-1", pos, "{\"name\":\"Ana\",\"role\":\"server\"}");
    call("PATCH", "/api/v1/records/users/u-1", pos, "{\"role\":\"manager\"}");
    call("PUT", "/api/v1/records/printers/p-1", pos, "{\"name\":\"Grill\"}");
    call("DELETE", "/api/v1/records/printers/p-1", pos, null);
    call("PUT", "/api/v1/records/orders/o-3", pos, "{\"status\":\"pending\",\"total\":\"1.00\"}");

    TestSocket s = connect(w, "pos-2", w.loc1(), "&since=0");
    welcome(s);
    Map<String, String> actions = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      Map<String, Object> f = s.next(3000);
      actions.put(f.get("collection") + "/" + f.get("id"), (String) f.get("action"));
    }
    assertThat(actions)
        .containsEntry("orders/o-1", "status_changed")
        .containsEntry("orders/o-2", "completed")
        .containsEntry("menu_items/m-1", "availability_changed")
        .containsEntry("users/u-1", "role_changed")
        .containsEntry("printers/p-1", "removed")
        .containsEntry("orders/o-3", "created");
  }

  @Test
  void welcome_announcesTheConfiguredHeartbeat_defaultThirtySeconds() throws Exception {
    World w = world();
    TestSocket s = connect(w, "pos-2", w.loc1(), "");
    assertThat(welcome(s)).containsEntry("heartbeat_seconds", 30.0);
    assertThat(CloudSettings.defaults(dataDir).realtimeHeartbeat()).hasSeconds(30);
    assertThat(
            CloudSettings.defaults(dataDir)
                .withRealtimeHeartbeat(java.time.Duration.ofSeconds(5))
                .realtimeHeartbeat())
        .hasSeconds(5);
  }

  @Test
  void connect_badOrForeignTokens_closeWith4401Or4403() throws Exception {
    World w = world();
    String q = "device_id=pos-1&restaurant_id=" + w.loc1();
    assertThat(connectAs(null, q).awaitClose(3000)).isEqualTo(CloseCodes.UNAUTHORIZED);
    assertThat(connectAs("oly_unknown", q).awaitClose(3000)).isEqualTo(CloseCodes.UNAUTHORIZED);
    assertThat(connectAs(ADMIN, q).awaitClose(3000)).isEqualTo(CloseCodes.FORBIDDEN);
    TestSocket otherPlace =
        connectAs(w.token("pos-9"), "device_id=pos-9&restaurant_id=" + w.loc1());
    assertThat(otherPlace.awaitClose(3000)).isEqualTo(CloseCodes.FORBIDDEN);
    assertThat(otherPlace.closeReason).contains(w.loc2());
    TestSocket otherDevice = connectAs(w.token("pos-2"), q);
    assertThat(otherDevice.awaitClose(3000)).isEqualTo(CloseCodes.FORBIDDEN);
    assertThat(otherDevice.closeReason).contains("pos-2");
    TestSocket malformed = connect(w, "pos-1", w.loc1(), "");
    welcome(malformed);
    malformed.send("not json");
    assertThat(malformed.next(3000))
        .containsEntry("type", "error")
        .containsEntry("error", "invalid_json");
  }

  @Test
  void healthAndRestaurantStatus_countTheConnectedDevices() throws Exception {
    World w = world();
    int before = call("GET", "/api/health", null, null).json().get("totalConnections").asInt();
    TestSocket a = connect(w, "pos-1", w.loc1(), "");
    TestSocket b = connect(w, "edge-1", w.loc1(), "");
    welcome(a);
    welcome(b);
    Resp health = call("GET", "/api/health", null, null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("totalConnections").asInt()).isEqualTo(before + 2);
    assertThat(health.json().get("connectedRestaurants").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(health.json().get("timestamp").asText()).isNotEmpty();

    call("PUT", "/api/v1/records/menu_items/m1", w.token("pos-1"), "{\"name\":\"soup\"}");
    a.next(3000);
    Resp status = call("GET", "/api/restaurants/" + w.loc1() + "/status", ADMIN, null);
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.json().get("connections").asInt()).isEqualTo(2);
    assertThat(status.json().get("devices").findValuesAsText("device_id"))
        .containsExactlyInAnyOrder("pos-1", "edge-1");
    assertThat(status.json().get("devices").findValuesAsText("user_id")).contains("u-pos-1");
    assertThat(status.json().get("last_change_seq").asLong()).isPositive();

    assertThat(
            call("GET", "/api/restaurants/" + w.loc1() + "/status", w.token("pos-2"), null)
                .status())
        .isEqualTo(200);
    Resp foreign = call("GET", "/api/restaurants/" + w.loc1() + "/status", w.token("pos-9"), null);
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(call("GET", "/api/restaurants/" + w.loc1() + "/status", null, null).status())
        .isEqualTo(401);
    World other = world();
    assertThat(
            call("GET", "/api/restaurants/" + w.loc1() + "/status", other.token("pos-1"), null)
                .status())
        .isEqualTo(404);

    a.close();
    await()
        .atMost(Duration.ofSeconds(3))
        .until(
            () ->
                call("GET", "/api/restaurants/" + w.loc1() + "/status", ADMIN, null)
                        .json()
                        .get("connections")
                        .asInt()
                    == 1);
  }

  @Test
  void syncTrigger_reachesTheLocationsEdgeOverItsSocket() throws Exception {
    World w = world();
    TestSocket edge = connect(w, "edge-1", w.loc1(), "");
    TestSocket pos = connect(w, "pos-1", w.loc1(), "");
    welcome(edge);
    welcome(pos);
    Resp r =
        call(
            "POST",
            "/api/v1/sync/trigger",
            ADMIN,
            "{\"location_id\":\"" + w.loc1() + "\",\"priority\":\"critical\"}");
    assertThat(r.status()).isEqualTo(202);
    assertThat(edge.next(3000))
        .containsEntry("type", "sync_trigger")
        .containsEntry("priority", "critical");
    assertThat(pos.nextOrNull(200)).isNull();
  }

  @Test
  void idempotencyKey_sameKeyTwice_appliedOnceAndAnsweredWithTheRecord() {
    World w = world();
    String token = w.token("pos-1");
    Map<String, String> key = Map.of("Idempotency-Key", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    Resp first =
        http.call("PUT", "/api/v1/records/orders/k1", token, "{\"status\":\"pending\"}", key);
    long afterFirst = latestSeq(w, token);
    Resp second =
        http.call("PUT", "/api/v1/records/orders/k1", token, "{\"status\":\"pending\"}", key);
    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(second.json().get("version").asLong())
        .isEqualTo(first.json().get("version").asLong());
    assertThat(latestSeq(w, token)).isEqualTo(afterFirst);

    Resp delete =
        http.call(
            "DELETE", "/api/v1/records/orders/k1", token, null, Map.of("Idempotency-Key", "del-1"));
    Resp deleteAgain =
        http.call(
            "DELETE", "/api/v1/records/orders/k1", token, null, Map.of("Idempotency-Key", "del-1"));
    assertThat(delete.status()).isEqualTo(200);
    assertThat(deleteAgain.status()).isEqualTo(200);
    assertThat(deleteAgain.json().get("deleted").asBoolean()).isTrue();

    Resp reused = http.call("PUT", "/api/v1/records/orders/other", token, "{}", key);
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.error()).isEqualTo("idempotency_key_reused");
    Resp bad =
        http.call(
            "PUT",
            "/api/v1/records/orders/k2",
            token,
            "{}",
            Map.of("Idempotency-Key", "no spaces allowed"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.field()).isEqualTo("Idempotency-Key");
    assertThat(bad.json().get("message").asText()).contains("'no spaces allowed'");
  }

  @Test
  void idempotencyKey_firstSeenThroughAnEdgePush_isADuplicate() {
    World w = world();
    long hlc = HybridLogicalClock.encode(System.currentTimeMillis(), 0);
    String op =
        "{\"op_id\":\"lan-write-1\",\"collection\":\"orders\",\"id\":\"p1\",\"action\":\"put\",\"data\":{\"status\":\"pending\"},\"base_version\":0,\"hlc\":%d,\"node_id\":\"edge-1\"}"
            .formatted(hlc);
    Resp push = call("POST", "/api/v1/sync/push", w.token("edge-1"), "{\"ops\":[" + op + "]}");
    assertThat(push.status()).isEqualTo(200);
    long seq = latestSeq(w, w.token("pos-1"));

    Resp retry =
        http.call(
            "PUT",
            "/api/v1/records/orders/p1",
            w.token("pos-1"),
            "{\"status\":\"pending\",\"note\":\"retried after failover\"}",
            Map.of("Idempotency-Key", "lan-write-1"));
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json().get("data").has("note")).isFalse();
    assertThat(latestSeq(w, w.token("pos-1"))).isEqualTo(seq);
  }
}
