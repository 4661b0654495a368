package dev.olympus.cloud.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.cloud.HttpClientSupport;
import dev.olympus.cloud.HttpClientSupport.Resp;
import dev.olympus.cloud.TestDatabases;
import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.EntityType;
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

/** The config sync service over real HTTP and WebSocket on loopback, on SQLite. */
class ConfigSyncHttpTest {
  static final String ADMIN = "config-admin-token";
  static final long MAX_BODY = 64 * 1024;
  static final int METRIC_ROWS_PER_HOST = 5;

  @TempDir static Path dataDir;
  static CloudServer server;
  static HttpClientSupport http;

  private final List<TestSocket> sockets = new ArrayList<>();

  /** A tenant with two properties, their edges and a terminal, and a second tenant. */
  record World(
      String tenant,
      String loc1,
      String loc2,
      String edge1,
      String edge2,
      String pos1,
      String otherTenant,
      String otherLoc,
      String otherEdge) {}

  static CloudSettings settings() {
    return CloudSettings.defaults(dataDir)
        .withHost("127.0.0.1")
        .withAdminToken(ADMIN)
        .withMaxBodyBytes(MAX_BODY)
        .withConfigSync(
            ConfigSyncSettings.defaults()
                .withPushDebounce(Duration.ofMillis(250))
                .withCompactionInterval(Duration.ZERO)
                .withKeep(2, Duration.ZERO)
                .withMetricsRowsPerHost(METRIC_ROWS_PER_HOST));
  }

  @BeforeAll
  static void start() {
    server = CloudServer.start(settings());
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

  // ---- fixtures ----

  static World world() {
    String t = TestDatabases.unique("t");
    String l1 = TestDatabases.unique("loc1");
    String l2 = TestDatabases.unique("loc2");
    String t2 = TestDatabases.unique("other");
    String l3 = TestDatabases.unique("loc3");
    tenant(t);
    location(t, l1);
    location(t, l2);
    tenant(t2);
    location(t2, l3);
    return new World(
        t,
        l1,
        l2,
        device(t, l1, "edge-1", "olympus_edge"),
        device(t, l2, "edge-2", "olympus_edge"),
        device(t, l1, "pos-1", "pos_terminal"),
        t2,
        l3,
        device(t2, l3, "edge-3", "olympus_edge"));
  }

  static void tenant(String id) {
    assertThat(
            call(
                    "POST",
                    "/api/v1/admin/tenants",
                    ADMIN,
                    "{\"id\":\"" + id + "\",\"name\":\"Burgers\"}")
                .status())
        .isEqualTo(201);
  }

  static void location(String tenant, String id) {
    assertThat(
            call(
                    "POST",
                    "/api/v1/admin/tenants/" + tenant + "/locations",
                    ADMIN,
                    "{\"id\":\"" + id + "\",\"name\":\"Downtown\"}")
                .status())
        .isEqualTo(201);
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

  static Resp create(String type, String body) {
    return call("POST", "/api/v1/config/" + type, ADMIN, body);
  }

  static String created(String type, String body) {
    Resp r = create(type, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  /** A tax group, an SLU and a menu item in {@code loc}; returns their ids. */
  static String[] menu(String loc) {
    String tax =
        created(
            "tax_groups",
            "{\"property_id\":\"" + loc + "\",\"name\":\"Food\",\"rate\":\"0.0875\"}");
    String slu = created("slus", "{\"property_id\":\"" + loc + "\",\"name\":\"Burgers\"}");
    String item =
        created(
            "menu_items",
            "{\"property_id\":\"%s\",\"name\":\"Cheeseburger\",\"price\":\"9.50\",\"slu_id\":\"%s\",\"tax_group_id\":\"%s\"}"
                .formatted(loc, slu, tax));
    return new String[] {tax, slu, item};
  }

  static long version(String loc) {
    Resp r = call("GET", "/api/v1/config/properties/" + loc + "/version", ADMIN, null);
    assertThat(r.status()).isEqualTo(200);
    return r.json().get("version").asLong();
  }

  static long rows(String table, String where, Object... binds) {
    return server
        .database()
        .jdbi()
        .withHandle(
            h -> {
              var q = h.createQuery("SELECT count(*) FROM " + table + " WHERE " + where);
              for (int i = 0; i < binds.length; i++) {
                q.bind(i, binds[i]);
              }
              return q.mapTo(Long.class).one();
            });
  }

  static long entities(String tenant) {
    return rows("config_entities", "enterprise_id = ?", tenant);
  }

  static JsonNode full(String edgeToken) {
    Resp r = call("GET", "/api/sync/config/full", edgeToken, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static JsonNode delta(String edgeToken, long since) {
    Resp r = call("GET", "/api/sync/config/delta?since=" + since, edgeToken, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  TestSocket socket(String token, String deviceId) {
    TestSocket s =
        TestSocket.open(
            "ws://127.0.0.1:" + server.port() + "/ws/service-host?device_id=" + deviceId, token);
    sockets.add(s);
    return s;
  }

  // ---- CRUD ----

  @Test
  void crud_createReadListReplaceDelete_bumpsVersionEachTime() {
    World w = world();
    long v0 = version(w.loc1());
    String[] ids = menu(w.loc1());
    assertThat(version(w.loc1())).isEqualTo(v0 + 3);

    Resp one = call("GET", "/api/v1/config/menu_items/" + ids[2], ADMIN, null);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("data").get("price").asText()).isEqualTo("9.50");
    assertThat(one.json().get("data").get("property_id").asText()).isEqualTo(w.loc1());

    Resp replaced =
        call(
            "PUT",
            "/api/v1/config/menu_items/" + ids[2],
            ADMIN,
            "{\"name\":\"Double\",\"price\":\"12.00\",\"slu_id\":\"%s\",\"tax_group_id\":\"%s\"}"
                .formatted(ids[1], ids[0]));
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(replaced.json().get("versions").get(w.loc1()).asLong()).isEqualTo(v0 + 4);

    Resp list = call("GET", "/api/v1/config/menu_items?property_id=" + w.loc1(), ADMIN, null);
    assertThat(list.json().get("items")).hasSize(1);
    assertThat(list.json().get("items").get(0).get("data").get("name").asText())
        .isEqualTo("Double");
    assertThat(
            call("GET", "/api/v1/config/menu_items?property_id=" + w.loc2(), ADMIN, null)
                .json()
                .get("items"))
        .isEmpty();

    assertThat(call("DELETE", "/api/v1/config/menu_items/" + ids[2], ADMIN, null).status())
        .isEqualTo(200);
    assertThat(call("GET", "/api/v1/config/menu_items/" + ids[2], ADMIN, null).status())
        .isEqualTo(404);
    assertThat(version(w.loc1())).isEqualTo(v0 + 5);
    assertThat(version(w.loc2())).as("the other property did not move").isEqualTo(v0);
  }

  @Test
  void create_withoutId_generatesUuidV7() {
    World w = world();
    String id = created("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"Drinks\"}");
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void list_paginatesWithLimitAndAfter() {
    World w = world();
    for (int i = 0; i < 5; i++) {
      created(
          "slus",
          "{\"id\":\"slu-"
              + w.loc1()
              + "-"
              + i
              + "\",\"property_id\":\""
              + w.loc1()
              + "\",\"name\":\"S\"}");
    }
    Resp first =
        call("GET", "/api/v1/config/slus?property_id=" + w.loc1() + "&limit=3", ADMIN, null);
    assertThat(first.json().get("items")).hasSize(3);
    String after = first.json().get("next_after").asText();
    Resp second =
        call(
            "GET",
            "/api/v1/config/slus?property_id=" + w.loc1() + "&limit=3&after=" + after,
            ADMIN,
            null);
    assertThat(second.json().get("items")).hasSize(2);
    assertThat(second.json().get("next_after").isNull()).isTrue();
  }

  @Test
  void create_existingId_conflictNamingId() {
    World w = world();
    String body =
        "{\"id\":\"slu-x-" + w.loc1() + "\",\"property_id\":\"" + w.loc1() + "\",\"name\":\"S\"}";
    created("slus", body);
    Resp again = create("slus", body);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.field()).isEqualTo("id");
  }

  @Test
  void writes_withoutAdminToken_refused() {
    World w = world();
    String body = "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"S\"}";
    assertThat(call("POST", "/api/v1/config/slus", null, body).status()).isEqualTo(401);
    assertThat(call("POST", "/api/v1/config/slus", w.edge1(), body).status()).isEqualTo(403);
    assertThat(entities(w.tenant())).isZero();
  }

  // ---- bad input ----

  @Test
  void create_badInput_4xxNamingFieldAndNothingStored() {
    World w = world();
    String[] ids = menu(w.loc1());
    String[] otherIds = menu(w.otherLoc());
    long v = version(w.loc1());
    long stored = entities(w.tenant());
    String loc = w.loc1();
    String item =
        "{\"property_id\":\"%s\",\"name\":\"X\",\"price\":%s,\"slu_id\":\"%s\",\"tax_group_id\":\"%s\"}";

    Resp malformed = create("menu_items", "{\"name\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.error()).isEqualTo("invalid_json");

    Resp numberPrice = create("menu_items", item.formatted(loc, "9.5", ids[1], ids[0]));
    assertThat(numberPrice.status()).isEqualTo(400);
    assertThat(numberPrice.field()).isEqualTo("price");
    assertThat(numberPrice.json().get("message").asText()).contains("decimal string");

    Resp missing = create("menu_items", "{\"property_id\":\"" + loc + "\",\"price\":\"1.00\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.field()).isEqualTo("name");
    assertThat(missing.error()).isEqualTo("missing_field");

    Resp dangling = create("menu_items", item.formatted(loc, "\"1.00\"", "no-such-slu", ids[0]));
    assertThat(dangling.status()).isEqualTo(400);
    assertThat(dangling.field()).isEqualTo("slu_id");
    assertThat(dangling.error()).isEqualTo("unknown_reference");

    Resp otherTenants = create("menu_items", item.formatted(loc, "\"1.00\"", ids[1], otherIds[0]));
    assertThat(otherTenants.status()).isEqualTo(400);
    assertThat(otherTenants.field()).isEqualTo("tax_group_id");

    Resp otherProperty = create("menu_items", item.formatted(w.loc2(), "\"1.00\"", ids[1], ids[0]));
    assertThat(otherProperty.status()).as("loc1's SLU is not loc2's").isEqualTo(400);
    assertThat(otherProperty.field()).isEqualTo("slu_id");

    Resp noProperty = create("slus", "{\"name\":\"S\"}");
    assertThat(noProperty.status()).isEqualTo(400);
    assertThat(noProperty.field()).isEqualTo("property_id");

    Resp unknownProperty = create("slus", "{\"property_id\":\"nowhere\",\"name\":\"S\"}");
    assertThat(unknownProperty.status()).isEqualTo(400);
    assertThat(unknownProperty.field()).isEqualTo("property_id");

    Resp wrongEnterprise =
        create(
            "slus",
            "{\"property_id\":\""
                + loc
                + "\",\"enterprise_id\":\""
                + w.otherTenant()
                + "\",\"name\":\"S\"}");
    assertThat(wrongEnterprise.status()).isEqualTo(400);
    assertThat(wrongEnterprise.field()).isEqualTo("enterprise_id");

    Resp wrongScope =
        create("loyalty_programs", "{\"property_id\":\"" + loc + "\",\"name\":\"Stars\"}");
    assertThat(wrongScope.status()).isEqualTo(400);
    assertThat(wrongScope.error()).isEqualTo("wrong_scope");
    assertThat(wrongScope.field()).isEqualTo("property_id");

    Resp badTender =
        create("tenders", "{\"property_id\":\"" + loc + "\",\"name\":\"T\",\"type\":\"bitcoin\"}");
    assertThat(badTender.status()).isEqualTo(400);
    assertThat(badTender.field()).isEqualTo("type");

    Resp badId = create("slus", "{\"id\":\"a b\",\"property_id\":\"" + loc + "\",\"name\":\"S\"}");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.field()).isEqualTo("id");

    Resp undeclaredSecret =
        create("slus", "{\"property_id\":\"" + loc + "\",\"name\":\"S\",\"api_key\":\"k\"}");
    assertThat(undeclaredSecret.status()).isEqualTo(400);
    assertThat(undeclaredSecret.field()).isEqualTo("api_key");

    Resp numericPin =
        create(
            "employees",
            "{\"property_id\":\"%s\",\"first_name\":\"A\",\"last_name\":\"B\",\"role_id\":\"r\",\"pin\":1234}"
                .formatted(loc));
    assertThat(numericPin.status()).isEqualTo(400);
    assertThat(numericPin.field()).isEqualTo("pin");

    Resp unknownType = create("menus", "{}");
    assertThat(unknownType.status()).isEqualTo(404);
    assertThat(unknownType.field()).isEqualTo("entity_type");

    Resp tooBig =
        create(
            "slus",
            "{\"property_id\":\"" + loc + "\",\"name\":\"" + "x".repeat((int) MAX_BODY) + "\"}");
    assertThat(tooBig.status()).isEqualTo(413);

    Resp metrics = create("service_host_metrics", "{}");
    assertThat(metrics.status()).isEqualTo(405);

    Resp createProperty = create("properties", "{\"name\":\"New\"}");
    assertThat(createProperty.status()).isEqualTo(405);

    assertThat(version(w.loc1())).as("no version moved").isEqualTo(v);
    assertThat(entities(w.tenant())).as("nothing stored").isEqualTo(stored);
    assertThat(rows("config_versions", "property_id = ? AND version > ?", loc, v)).isZero();
  }

  @Test
  void replace_badInput_leavesEntityAsItWas() {
    World w = world();
    String[] ids = menu(w.loc1());
    long v = version(w.loc1());

    Resp mismatch =
        call("PUT", "/api/v1/config/slus/" + ids[1], ADMIN, "{\"id\":\"other\",\"name\":\"S\"}");
    assertThat(mismatch.status()).isEqualTo(400);
    assertThat(mismatch.field()).isEqualTo("id");

    Resp move =
        call(
            "PUT",
            "/api/v1/config/slus/" + ids[1],
            ADMIN,
            "{\"property_id\":\"" + w.loc2() + "\",\"name\":\"S\"}");
    assertThat(move.status()).isEqualTo(400);
    assertThat(move.field()).isEqualTo("property_id");

    Resp dangling =
        call(
            "PUT",
            "/api/v1/config/menu_items/" + ids[2],
            ADMIN,
            "{\"name\":\"X\",\"price\":\"1.00\",\"slu_id\":\"gone\",\"tax_group_id\":\"%s\"}"
                .formatted(ids[0]));
    assertThat(dangling.status()).isEqualTo(400);
    assertThat(dangling.field()).isEqualTo("slu_id");

    Resp unknown = call("PUT", "/api/v1/config/slus/nope", ADMIN, "{\"name\":\"S\"}");
    assertThat(unknown.status()).isEqualTo(404);

    assertThat(version(w.loc1())).isEqualTo(v);
    assertThat(
            call("GET", "/api/v1/config/menu_items/" + ids[2], ADMIN, null)
                .json()
                .get("data")
                .get("name")
                .asText())
        .isEqualTo("Cheeseburger");
  }

  @Test
  void delete_stillReferenced_conflictNamingReferrers() {
    World w = world();
    String[] ids = menu(w.loc1());
    long v = version(w.loc1());

    Resp r = call("DELETE", "/api/v1/config/slus/" + ids[1], ADMIN, null);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().get("message").asText()).contains("menu_items " + ids[2] + " (slu_id)");
    assertThat(version(w.loc1())).isEqualTo(v);
    assertThat(call("GET", "/api/v1/config/slus/" + ids[1], ADMIN, null).status()).isEqualTo(200);
  }

  // ---- versions ----

  @Test
  void everyChange_writesOneLogRowAndBumpsVersionTogether() {
    World w = world();
    long v = version(w.loc1());
    menu(w.loc1());

    assertThat(rows("config_versions", "property_id = ? AND version > ?", w.loc1(), v))
        .isEqualTo(3);
    List<Long> versions =
        server
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT version FROM config_versions WHERE property_id = :p ORDER BY version")
                        .bind("p", w.loc1())
                        .mapTo(Long.class)
                        .list());
    assertThat(versions).containsExactly(v + 1, v + 2, v + 3);
  }

  @Test
  void concurrentWriters_getUniqueContiguousVersions() throws Exception {
    World w = world();
    long v = version(w.loc1());
    int threads = 6;
    int each = 4;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      boolean enterpriseWide = t % 2 == 0;
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < each; i++) {
                  Resp r =
                      enterpriseWide
                          ? create(
                              "privileges",
                              "{\"enterprise_id\":\"" + w.tenant() + "\",\"name\":\"P\"}")
                          : create("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"S\"}");
                  assertThat(r.status()).as(r.body()).isEqualTo(201);
                }
              }));
    }
    for (var f : done) {
      f.get();
    }
    pool.shutdown();

    List<Long> versions =
        server
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT version FROM config_versions WHERE property_id = :p ORDER BY version")
                        .bind("p", w.loc1())
                        .mapTo(Long.class)
                        .list());
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= threads * each; i++) {
      expected.add(v + i);
    }
    assertThat(versions).isEqualTo(expected);
    assertThat(version(w.loc2())).isEqualTo(v + threads / 2 * each);
  }

  @Test
  void enterpriseScopedChange_bumpsEveryPropertyOfTheEnterpriseOnly() {
    World w = world();
    long v1 = version(w.loc1());
    long v2 = version(w.loc2());
    long v3 = version(w.otherLoc());

    Resp r =
        create("loyalty_programs", "{\"enterprise_id\":\"" + w.tenant() + "\",\"name\":\"Stars\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(version(w.loc1())).isEqualTo(v1 + 1);
    assertThat(version(w.loc2())).isEqualTo(v2 + 1);
    assertThat(version(w.otherLoc())).isEqualTo(v3);
    assertThat(rows("config_versions", "entity_id = ?", r.json().get("id").asText())).isEqualTo(2);
  }

  // ---- payloads ----

  @Test
  void fullSync_seed003ShapeWithCamelCaseKeys() {
    World w = world();
    String[] ids = menu(w.loc1());
    String role =
        created(
            "roles",
            "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"Server\",\"privileges\":[]}");
    created("rvcs", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"Dining\"}");
    created(
        "employees",
        "{\"property_id\":\"%s\",\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"role_id\":\"%s\",\"pin\":\"4821\"}"
            .formatted(w.loc1(), role));

    JsonNode full = full(w.edge1());

    List<String> keys = new ArrayList<>();
    full.fieldNames().forEachRemaining(keys::add);
    assertThat(keys.subList(0, 5))
        .containsExactly("version", "timestamp", "propertyId", "enterprise", "property");
    for (EntityType t : ConfigRegistry.synced()) {
      if (t.featureFlag() == null && !ConfigStore.isSingleton(t)) {
        assertThat(keys).contains(t.payloadKey());
      }
    }
    assertThat(keys)
        .doesNotContain(
            "giftCards",
            "loyaltyPrograms",
            "loyaltyEnrollments",
            "schedules",
            "shifts",
            "serviceHostMetrics");
    assertThat(full.get("version").asLong()).isEqualTo(version(w.loc1()));
    assertThat(full.get("propertyId").asText()).isEqualTo(w.loc1());
    assertThat(full.get("enterprise").get("id").asText()).isEqualTo(w.tenant());
    assertThat(full.get("property").get("name").asText()).isEqualTo("Downtown");
    assertThat(full.get("menuItems").get(0).get("id").asText()).isEqualTo(ids[2]);
    assertThat(full.get("revenueCenters")).hasSize(1);
    assertThat(full.get("employees").get(0).get("pin_hash").asText()).startsWith("$2");
    assertThat(full.get("employees").get(0).has("pin")).isFalse();

    JsonNode other = full(w.edge2());
    assertThat(other.get("menuItems")).as("another property's edge sees its own").isEmpty();
  }

  @Test
  void fullSync_tierSixOnlyWithFeatureFlags_andFlagChangeRequiresFullSync() {
    World w = world();
    created(
        "gift_cards",
        "{\"property_id\":\"" + w.loc1() + "\",\"code\":\"GC1\",\"balance\":\"25.00\"}");
    created("loyalty_programs", "{\"enterprise_id\":\"" + w.tenant() + "\",\"name\":\"Stars\"}");
    assertThat(full(w.edge1()).has("giftCards")).isFalse();

    Resp put =
        call(
            "PUT",
            "/api/v1/config/properties/" + w.loc1(),
            ADMIN,
            "{\"name\":\"Downtown\",\"timezone\":\"America/Chicago\",\"business_date\":\"2026-11-22\",\"features\":{\"gift_cards\":true,\"loyalty\":true}}");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    Resp beat = heartbeat(w.edge1(), "edge-1", "{\"config_version\":1}");
    assertThat(beat.json().get("action").asText()).isEqualTo("full_sync");

    JsonNode full = full(w.edge1());
    assertThat(full.get("giftCards")).hasSize(1);
    assertThat(full.get("loyaltyPrograms")).hasSize(1);
    assertThat(full.get("loyaltyEnrollments")).isEmpty();
    assertThat(full.has("schedules")).isFalse();
    assertThat(full.get("property").get("timezone").asText()).isEqualTo("America/Chicago");
    assertThat(full(w.edge2()).has("giftCards")).as("loc2 has no flags").isFalse();
  }

  @Test
  void delta_compactsToLatestOpPerEntity() {
    World w = world();
    long since = full(w.edge1()).get("version").asLong();
    String slu = created("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"A\"}");
    for (String name : new String[] {"B", "C", "D"}) {
      call("PUT", "/api/v1/config/slus/" + slu, ADMIN, "{\"name\":\"" + name + "\"}");
    }
    String gone = created("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"Gone\"}");
    call("DELETE", "/api/v1/config/slus/" + gone, ADMIN, null);

    JsonNode delta = delta(w.edge1(), since);

    assertThat(delta.get("fromVersion").asLong()).isEqualTo(since);
    assertThat(delta.get("toVersion").asLong()).isEqualTo(since + 6);
    assertThat(delta.get("fullSyncRequired").asBoolean()).isFalse();
    JsonNode changes = delta.get("changes");
    assertThat(changes).hasSize(2);
    assertThat(changes.get(0).get("entityId").asText()).isEqualTo(slu);
    assertThat(changes.get(0).get("operation").asText()).isEqualTo("UPDATE");
    assertThat(changes.get(0).get("data").get("name").asText()).isEqualTo("D");
    assertThat(changes.get(0).get("entityType").asText()).isEqualTo("slus");
    assertThat(changes.get(1).get("operation").asText()).isEqualTo("DELETE");
    assertThat(changes.get(1).has("data")).isFalse();
    assertThat(delta(w.edge1(), since + 6).get("changes")).isEmpty();
  }

  @Test
  void delta_gapOver100_fullSyncRequired() {
    World w = world();
    long since = full(w.edge1()).get("version").asLong();
    String slu = created("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"A\"}");
    for (int i = 0; i < 100; i++) {
      assertThat(
              call("PUT", "/api/v1/config/slus/" + slu, ADMIN, "{\"name\":\"N" + i + "\"}")
                  .status())
          .isEqualTo(200);
    }

    JsonNode tooFar = delta(w.edge1(), since);
    JsonNode justEnough = delta(w.edge1(), since + 1);

    assertThat(tooFar.get("fullSyncRequired").asBoolean()).isTrue();
    assertThat(tooFar.get("reason").asText()).isEqualTo("version_gap_too_large");
    assertThat(tooFar.get("changes")).isEmpty();
    assertThat(justEnough.get("fullSyncRequired").asBoolean()).isFalse();
    assertThat(justEnough.get("changes")).hasSize(1);
  }

  @Test
  void delta_noCache_fullSyncRequired() {
    World w = world();
    JsonNode answer = delta(w.edge1(), 0);
    assertThat(answer.get("fullSyncRequired").asBoolean()).isTrue();
    assertThat(answer.get("reason").asText()).isEqualTo("below_compaction_horizon");
  }

  @Test
  void delta_badSince_400_aheadOfCloud_409() {
    World w = world();
    long v = full(w.edge1()).get("version").asLong();

    Resp bad = call("GET", "/api/sync/config/delta?since=abc", w.edge1(), null);
    Resp negative = call("GET", "/api/sync/config/delta?since=-1", w.edge1(), null);
    Resp missing = call("GET", "/api/sync/config/delta", w.edge1(), null);
    Resp ahead = call("GET", "/api/sync/config/delta?since=" + (v + 1), w.edge1(), null);

    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.field()).isEqualTo("since");
    assertThat(negative.status()).isEqualTo(400);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.field()).isEqualTo("since");
    assertThat(ahead.status()).isEqualTo(409);
    assertThat(ahead.error()).isEqualTo("version_conflict");
  }

  @Test
  void compaction_rewritesOldLogAndRefusesDeltasBelowHorizon() {
    World w = world();
    long birth = full(w.edge1()).get("version").asLong();
    String a = created("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"A1\"}");
    long atA = version(w.loc1());
    call("PUT", "/api/v1/config/slus/" + a, ADMIN, "{\"name\":\"A2\"}");
    String b = created("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"B\"}");
    call("DELETE", "/api/v1/config/slus/" + b, ADMIN, null);
    call("PUT", "/api/v1/config/slus/" + a, ADMIN, "{\"name\":\"A3\"}");
    created("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"C\"}");
    long latest = version(w.loc1());
    long rowsBefore = rows("config_versions", "property_id = ?", w.loc1());

    var done = server.config().compact(w.loc1());

    assertThat(done).isPresent();
    long horizon = done.get().horizon();
    assertThat(horizon).as("keeps the latest 2 versions").isEqualTo(latest - 2);
    assertThat(rows("config_versions", "property_id = ?", w.loc1())).isLessThan(rowsBefore);
    JsonNode refused = delta(w.edge1(), atA);
    assertThat(refused.get("fullSyncRequired").asBoolean()).isTrue();
    assertThat(refused.get("reason").asText()).isEqualTo("below_compaction_horizon");
    JsonNode fromHorizon = delta(w.edge1(), horizon);
    assertThat(fromHorizon.get("fullSyncRequired").asBoolean()).isFalse();
    assertThat(
            call("GET", "/api/v1/config/properties/" + w.loc1() + "/version", ADMIN, null)
                .json()
                .get("horizon")
                .asLong())
        .isEqualTo(horizon);
    assertThat(server.config().compact(w.loc1())).as("nothing more to do").isEmpty();
    assertThat(birth).isLessThan(atA);
  }

  @Test
  void payloads_neverCarryPinsSecretsOrApiKeys() {
    World w = world();
    long since = full(w.edge1()).get("version").asLong();
    String role =
        created(
            "roles",
            "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"Server\",\"privileges\":[]}");
    created(
        "employees",
        "{\"property_id\":\"%s\",\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"role_id\":\"%s\",\"pin\":\"739215\"}"
            .formatted(w.loc1(), role));
    created(
        "tenders",
        "{\"property_id\":\"%s\",\"name\":\"Visa\",\"type\":\"card\",\"processor_id\":\"stripe-1\",\"api_key\":\"sk_live_SECRETKEY1\",\"secret_key\":\"whsec_SECRETKEY2\"}"
            .formatted(w.loc1()));

    String full = call("GET", "/api/sync/config/full", w.edge1(), null).body();
    String delta = call("GET", "/api/sync/config/delta?since=" + since, w.edge1(), null).body();
    String adminList =
        call("GET", "/api/v1/config/tenders?property_id=" + w.loc1(), ADMIN, null).body();
    String adminEmployees =
        call("GET", "/api/v1/config/employees?property_id=" + w.loc1(), ADMIN, null).body();

    for (String text : List.of(full, delta, adminList)) {
      assertThat(text).contains("stripe-1");
      assertThat(text)
          .doesNotContain("739215")
          .doesNotContain("SECRETKEY")
          .doesNotContain("api_key")
          .doesNotContain("\"pin\"");
    }
    assertThat(full).contains("pin_hash");
    assertThat(adminEmployees).doesNotContain("739215").doesNotContain("pin_hash").contains("Ann");
    String stored =
        server
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT data FROM config_entities WHERE entity_type = 'employees' AND enterprise_id = :e")
                        .bind("e", w.tenant())
                        .mapTo(String.class)
                        .one());
    assertThat(stored).doesNotContain("739215").contains("pin_hash");
  }

  @Test
  void replaceWithoutPinOrSecrets_keepsStoredHashAndSecrets() {
    World w = world();
    String role =
        created(
            "roles",
            "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"Server\",\"privileges\":[]}");
    String emp =
        created(
            "employees",
            "{\"property_id\":\"%s\",\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"role_id\":\"%s\",\"pin\":\"4821\"}"
                .formatted(w.loc1(), role));
    String hash = full(w.edge1()).get("employees").get(0).get("pin_hash").asText();

    Resp put =
        call(
            "PUT",
            "/api/v1/config/employees/" + emp,
            ADMIN,
            "{\"first_name\":\"Ann\",\"last_name\":\"Smith\",\"role_id\":\"%s\"}".formatted(role));

    assertThat(put.status()).as(put.body()).isEqualTo(200);
    JsonNode e = full(w.edge1()).get("employees").get(0);
    assertThat(e.get("last_name").asText()).isEqualTo("Smith");
    assertThat(e.get("pin_hash").asText()).isEqualTo(hash);
  }

  @Test
  void privileges_areEnterpriseWideAndRolesReferenceThem() {
    World w = world();
    created(
        "privileges",
        "{\"id\":\"void_item\",\"enterprise_id\":\"" + w.tenant() + "\",\"name\":\"Void\"}");
    created(
        "privileges",
        "{\"id\":\"void_item\",\"enterprise_id\":\"" + w.otherTenant() + "\",\"name\":\"Void\"}");

    Resp ok =
        create(
            "roles",
            "{\"property_id\":\""
                + w.loc1()
                + "\",\"name\":\"Mgr\",\"privileges\":[\"void_item\"]}");
    Resp unknown =
        create(
            "roles",
            "{\"property_id\":\""
                + w.loc1()
                + "\",\"name\":\"Mgr\",\"privileges\":[\"open_drawer\"]}");

    assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.field()).isEqualTo("privileges");
    assertThat(full(w.edge2()).get("privileges")).hasSize(1);
    assertThat(call("GET", "/api/v1/config/privileges/void_item", ADMIN, null).status())
        .as("two tenants have this id")
        .isEqualTo(409);
    assertThat(
            call(
                    "GET",
                    "/api/v1/config/privileges/void_item?enterprise_id=" + w.tenant(),
                    ADMIN,
                    null)
                .status())
        .isEqualTo(200);
  }

  // ---- auth of the sync endpoints ----

  @Test
  void syncEndpoints_needTheEdgeTokenOfTheProperty() {
    World w = world();
    menu(w.otherLoc());

    assertThat(call("GET", "/api/sync/config/full", w.pos1(), null).status()).isEqualTo(403);
    assertThat(call("GET", "/api/sync/config/full", ADMIN, null).status()).isEqualTo(403);
    assertThat(call("GET", "/api/sync/config/full", null, null).status()).isEqualTo(401);
    assertThat(call("GET", "/api/sync/config/delta?since=1", w.pos1(), null).status())
        .isEqualTo(403);
    assertThat(full(w.edge1()).get("menuItems")).as("another tenant's menu is not here").isEmpty();
    assertThat(full(w.otherEdge()).get("menuItems")).hasSize(1);
  }

  // ---- heartbeat ----

  static Resp heartbeat(String token, String id, String body) {
    return call("POST", "/api/service-hosts/" + id + "/heartbeat", token, body);
  }

  @Test
  void heartbeat_storesMetricsAndReportsAction() {
    World w = world();
    long v = full(w.edge1()).get("version").asLong();
    String body =
        "{\"cpu_percent\":12.5,\"memory_percent\":40.1,\"disk_percent\":55.0,\"connection_mode\":\"online\",\"pending_transactions\":3,\"config_version\":%d}";

    Resp upToDate = heartbeat(w.edge1(), "edge-1", body.formatted(v));
    created("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"S\"}");
    Resp behind = heartbeat(w.edge1(), "edge-1", body.formatted(v));

    assertThat(upToDate.status()).as(upToDate.body()).isEqualTo(200);
    assertThat(upToDate.json().get("config_version").asLong()).isEqualTo(v);
    assertThat(upToDate.json().get("action").isNull()).isTrue();
    assertThat(behind.json().get("config_version").asLong()).isEqualTo(v + 1);
    assertThat(behind.json().get("action").asText()).isEqualTo("delta_sync");
    var stored = server.config().heartbeats().recent(w.tenant(), "edge-1", 10);
    assertThat(stored).hasSize(2);
    assertThat(((Number) stored.get(0).get("cpu_percent")).doubleValue()).isEqualTo(12.5);
    assertThat(stored.get(0).get("connection_mode")).isEqualTo("online");
    assertThat(((Number) stored.get(0).get("pending_transactions")).longValue()).isEqualTo(3);
  }

  @Test
  void heartbeat_keepsBoundedRowsPerHost() {
    World w = world();
    for (int i = 0; i < METRIC_ROWS_PER_HOST + 3; i++) {
      assertThat(heartbeat(w.edge1(), "edge-1", "{\"config_version\":" + i + "}").status())
          .isEqualTo(200);
    }
    assertThat(server.config().heartbeats().recent(w.tenant(), "edge-1", 100))
        .hasSize(METRIC_ROWS_PER_HOST);
  }

  @Test
  void heartbeat_badInput_4xxNamingFieldAndNothingStored() {
    World w = world();

    Resp wrongType =
        heartbeat(w.edge1(), "edge-1", "{\"cpu_percent\":\"high\",\"config_version\":1}");
    Resp outOfRange = heartbeat(w.edge1(), "edge-1", "{\"disk_percent\":101,\"config_version\":1}");
    Resp pendingText =
        heartbeat(w.edge1(), "edge-1", "{\"pending_transactions\":\"3\",\"config_version\":1}");
    Resp noVersion = heartbeat(w.edge1(), "edge-1", "{\"cpu_percent\":1}");
    Resp malformed = heartbeat(w.edge1(), "edge-1", "{cpu");
    Resp otherDevice = heartbeat(w.edge1(), "edge-2", "{\"config_version\":1}");
    Resp terminal = heartbeat(w.pos1(), "pos-1", "{\"config_version\":1}");
    Resp tooBig =
        heartbeat(
            w.edge1(), "edge-1", "{\"connection_mode\":\"" + "x".repeat((int) MAX_BODY) + "\"}");

    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.field()).isEqualTo("cpu_percent");
    assertThat(outOfRange.field()).isEqualTo("disk_percent");
    assertThat(pendingText.field()).isEqualTo("pending_transactions");
    assertThat(noVersion.status()).isEqualTo(400);
    assertThat(noVersion.field()).isEqualTo("config_version");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(otherDevice.status()).isEqualTo(403);
    assertThat(terminal.status()).isEqualTo(403);
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(server.config().heartbeats().recent(w.tenant(), "edge-1", 10)).isEmpty();
  }

  @Test
  void adminFullSyncRequest_reportedInHeartbeatUntilHostFullSyncs() {
    World w = world();
    long v = full(w.edge1()).get("version").asLong();

    Resp request =
        call("POST", "/api/v1/config/properties/" + w.loc1() + "/full-sync", ADMIN, null);
    Resp beforeSync = heartbeat(w.edge1(), "edge-1", "{\"config_version\":" + v + "}");
    full(w.edge1());
    Resp afterSync = heartbeat(w.edge1(), "edge-1", "{\"config_version\":" + v + "}");

    assertThat(request.status()).isEqualTo(202);
    assertThat(beforeSync.json().get("action").asText()).isEqualTo("full_sync");
    assertThat(afterSync.json().get("action").isNull()).isTrue();
    assertThat(call("POST", "/api/v1/config/properties/nowhere/full-sync", ADMIN, null).status())
        .isEqualTo(404);
    assertThat(
            call("POST", "/api/v1/config/properties/" + w.loc1() + "/full-sync", w.edge1(), null)
                .status())
        .isEqualTo(403);
  }

  // ---- WebSocket ----

  @Test
  void socket_burstOfEdits_oneDebouncedConfigUpdatedWithLastVersion() throws Exception {
    World w = world();
    TestSocket s = socket(w.edge1(), "edge-1");
    assertThat(s.next(5_000).get("type")).isEqualTo("welcome");

    for (int i = 0; i < 5; i++) {
      created("slus", "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"S" + i + "\"}");
    }
    long latest = version(w.loc1());

    Map<String, Object> updated = s.next(3_000);
    assertThat(updated.get("type")).isEqualTo("config:updated");
    assertThat(updated.get("property_id")).isEqualTo(w.loc1());
    assertThat(((Number) updated.get("version")).longValue()).isEqualTo(latest);
    assertThat(s.nextOrNull(600)).as("one message for the burst").isNull();
  }

  @Test
  void socket_employeeTermination_urgentWithinASecond() throws Exception {
    World w = world();
    String role =
        created(
            "roles",
            "{\"property_id\":\"" + w.loc1() + "\",\"name\":\"Server\",\"privileges\":[]}");
    String emp =
        created(
            "employees",
            "{\"property_id\":\"%s\",\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"role_id\":\"%s\",\"pin\":\"4821\"}"
                .formatted(w.loc1(), role));
    String emp2 =
        created(
            "employees",
            "{\"property_id\":\"%s\",\"first_name\":\"Bob\",\"last_name\":\"Roe\",\"role_id\":\"%s\",\"pin\":\"1111\"}"
                .formatted(w.loc1(), role));
    TestSocket s = socket(w.edge1(), "edge-1");
    s.await(f -> "welcome".equals(f.get("type")), 5_000);
    Thread.sleep(400); // let the creations' debounced message pass

    s.frames.clear();
    long t0 = System.nanoTime();
    call(
        "PUT",
        "/api/v1/config/employees/" + emp,
        ADMIN,
        "{\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"role_id\":\"%s\",\"status\":\"terminated\"}"
            .formatted(role));
    Map<String, Object> urgent = s.await(f -> "config:urgent".equals(f.get("type")), 1_000);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    assertThat(urgent.get("entity_type")).isEqualTo("employees");
    assertThat(urgent.get("entity_id")).isEqualTo(emp);
    assertThat(urgent.get("reason")).isEqualTo("employee_terminated");
    assertThat(((Number) urgent.get("version")).longValue()).isEqualTo(version(w.loc1()));

    call("DELETE", "/api/v1/config/employees/" + emp2, ADMIN, null);
    Map<String, Object> deleted = s.await(f -> "config:urgent".equals(f.get("type")), 1_000);
    assertThat(deleted.get("entity_id")).isEqualTo(emp2);
    assertThat(deleted.get("reason")).isEqualTo("employee_terminated");
  }

  @Test
  void socket_adminFullSyncRequest_pushesSyncRequired() throws Exception {
    World w = world();
    TestSocket s = socket(w.edge1(), "edge-1");
    TestSocket other = socket(w.edge2(), "edge-2");
    s.await(f -> "welcome".equals(f.get("type")), 5_000);
    other.await(f -> "welcome".equals(f.get("type")), 5_000);

    call("POST", "/api/v1/config/properties/" + w.loc1() + "/full-sync", ADMIN, null);

    Map<String, Object> required = s.await(f -> "sync:required".equals(f.get("type")), 2_000);
    assertThat(required.get("property_id")).isEqualTo(w.loc1());
    assertThat(required.get("reason")).isEqualTo("admin_request");
    assertThat(other.nextOrNull(400)).as("the other property hears nothing").isNull();
  }

  @Test
  void socket_refusesTerminalsWrongDeviceAndNoToken() throws Exception {
    World w = world();
    assertThat(socket(w.pos1(), "pos-1").awaitClose(5_000)).isEqualTo(4403);
    assertThat(socket(w.edge1(), "edge-2").awaitClose(5_000)).isEqualTo(4403);
    assertThat(socket(null, "edge-1").awaitClose(5_000)).isEqualTo(4401);
    TestSocket ok = socket(w.edge1(), "edge-1");
    assertThat(ok.next(5_000).get("type")).isEqualTo("welcome");
    ok.send("{\"type\":\"ping\"}");
    assertThat(ok.next(2_000).get("type")).isEqualTo("pong");
    TestSocket viaQuery =
        TestSocket.open(
            "ws://127.0.0.1:"
                + server.port()
                + "/ws/service-host?device_id=edge-1&access_token="
                + w.edge1(),
            null);
    sockets.add(viaQuery);
    Map<String, Object> welcome = viaQuery.next(5_000);
    assertThat(welcome.get("type")).isEqualTo("welcome");
    assertThat(welcome.get("property_id")).isEqualTo(w.loc1());
    assertThat(((Number) welcome.get("version")).longValue()).isEqualTo(version(w.loc1()));
  }

  // ---- metrics ----

  @Test
  void metrics_countChangesAndSyncs() {
    World w = world();
    menu(w.loc1());
    full(w.edge1());

    String text = call("GET", "/metrics", null, null).body();

    assertThat(text).contains("olympus_config_changes_total{entity_type=\"menu_items\"}");
    assertThat(text).contains("olympus_config_full_syncs_total");
    assertThat(text).contains("olympus_config_delta_syncs_total{result=\"full_sync_required\"}");
  }
}
