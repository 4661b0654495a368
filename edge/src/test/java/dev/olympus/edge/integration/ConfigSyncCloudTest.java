package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.config.ConfigEntity;
import dev.olympus.edge.config.ConfigStatus;
import dev.olympus.edge.config.SyncKind;
import dev.olympus.edge.config.SyncOutcome;
import dev.olympus.edge.config.SyncStatus;
import dev.olympus.edge.testing.ShiftedClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 003 end to end: the real cloud on loopback, an edge with its encrypted cache. */
class ConfigSyncCloudTest {
  static final String PIN = "4821";

  @TempDir Path dir;
  CloudHarness cloud;
  String edgeToken;

  @BeforeEach
  void startCloud() throws Exception {
    cloud = CloudHarness.start(dir.resolve("cloud"), 0);
    cloud.createTenant("t1");
    cloud.createLocation("t1", "loc-1");
    edgeToken = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
    config("POST", "privileges", Map.of("id", "void_item", "enterprise_id", "t1", "name", "Void"));
    config(
        "POST",
        "roles",
        Map.of(
            "id",
            "role-mgr",
            "property_id",
            "loc-1",
            "name",
            "Manager",
            "privileges",
            List.of("void_item")));
    config("POST", "employees", employee("active", PIN));
    config("POST", "slus", Map.of("id", "slu-1", "property_id", "loc-1", "name", "Burgers"));
    config(
        "POST",
        "tax_groups",
        Map.of("id", "tax-1", "property_id", "loc-1", "name", "Food", "rate", "8.50"));
    config("POST", "menu_items", menuItem("mi-1", "Burger", "9.50"));
  }

  @AfterEach
  void stopCloud() throws Exception {
    if (cloud != null) {
      cloud.close();
    }
  }

  static Map<String, Object> employee(String status, String pin) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("id", "emp-1");
    e.put("property_id", "loc-1");
    e.put("first_name", "Ada");
    e.put("last_name", "Lovelace");
    e.put("role_id", "role-mgr");
    e.put("status", status);
    if (pin != null) {
      e.put("pin", pin);
    }
    return e;
  }

  static Map<String, Object> menuItem(String id, String name, String price) {
    return Map.of(
        "id",
        id,
        "property_id",
        "loc-1",
        "name",
        name,
        "price",
        price,
        "slu_id",
        "slu-1",
        "tax_group_id",
        "tax-1");
  }

  void config(String method, String type, Map<String, Object> body) throws Exception {
    String path = "/api/v1/config/" + type;
    if (method.equals("PUT")) {
      path += "/" + body.get("id");
    }
    cloud.admin(method, path, body);
  }

  EdgeSettings settings(Clock clock) {
    return TestEdges.settings(dir.resolve("edge"), cloud.url(), edgeToken, "loc-1")
        .withDeviceId("edge-1")
        .withClock(clock)
        .withBackgroundSync(true)
        // The channel and the start-up sync drive these tests; the periodic heartbeat must not.
        .withHeartbeatInterval(Duration.ofMinutes(10));
  }

  HttpResponse<String> pinLogin(EdgeServer edge, String pin) {
    return TestEdges.send(
        "POST",
        "http://127.0.0.1:" + edge.port() + "/api/v1/auth/pin",
        edgeToken,
        "{\"employee_id\":\"emp-1\",\"pin\":\"" + pin + "\"}");
  }

  static long syncs(EdgeServer edge, SyncKind kind) {
    return edge.configSyncer().syncs(kind);
  }

  @Test
  void firstBoot_doesAFullSync_thenACloudChangeArrivesByDelta() throws Exception {
    try (EdgeServer edge = EdgeServer.start(settings(Clock.systemUTC()))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> edge.configSyncer().status().syncStatus() == SyncStatus.SYNCED);
      ConfigStatus first = edge.configSyncer().status();
      assertThat(first.version()).isPositive();
      assertThat(first.lastFullSyncAt()).isNotNull();
      assertThat(edge.config().find("menu_items", "mi-1").flatMap(e -> e.text("name")))
          .contains("Burger");
      ConfigEntity employee = edge.config().find("employees", "emp-1").orElseThrow();
      assertThat(employee.text("pin_hash").orElseThrow()).startsWith("$2");
      assertThat(employee.data()).doesNotContainKey("pin");
      assertThat(edge.config().property().orElseThrow().id()).isEqualTo("loc-1");
      assertThat(edge.config().enterprise().orElseThrow().id()).isEqualTo("t1");
      assertThat(syncs(edge, SyncKind.FULL)).isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> edge.configSyncer().channel().orElseThrow().connected());
      long before = edge.config().version();

      config("PUT", "menu_items", menuItem("mi-1", "Cheeseburger", "10.50"));

      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  edge.config()
                      .find("menu_items", "mi-1")
                      .flatMap(e -> e.text("name"))
                      .orElse("")
                      .equals("Cheeseburger"));
      assertThat(edge.config().version()).isGreaterThan(before);
      assertThat(syncs(edge, SyncKind.DELTA)).isGreaterThanOrEqualTo(1);
      assertThat(syncs(edge, SyncKind.FULL)).as("no second full sync").isEqualTo(1);
      assertThat(edge.configSyncer().heartbeats()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void adminFullSyncRequest_makesTheEdgeFullSyncAtOnce_andMetricsShowIt() throws Exception {
    try (EdgeServer edge = EdgeServer.start(settings(Clock.systemUTC()))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> edge.configSyncer().channel().orElseThrow().connected());
      await().atMost(Duration.ofSeconds(10)).until(() -> syncs(edge, SyncKind.FULL) == 1);

      cloud.admin("POST", "/api/v1/config/properties/loc-1/full-sync", Map.of());

      await().atMost(Duration.ofSeconds(3)).until(() -> syncs(edge, SyncKind.FULL) == 2);
      var metrics =
          TestEdges.send("GET", "http://127.0.0.1:" + edge.port() + "/metrics", null, null).body();
      assertThat(metrics)
          .contains("edge_config_version " + edge.config().version())
          .containsPattern("edge_config_syncs_total\\{kind=\"full\",result=\"ok\"} 2");
      var status =
          TestEdges.send(
              "GET", "http://127.0.0.1:" + edge.port() + "/api/v1/config/status", edgeToken, null);
      assertThat(status.body())
          .contains("\"version\":" + edge.config().version())
          .contains("\"sync_status\":\"synced\"")
          .contains("\"cloud_version\":" + edge.config().version());
    }
  }

  @Test
  void cloudRestart_channelReconnects_andAChangeMadeMeanwhileArrives() throws Exception {
    try (EdgeServer edge = EdgeServer.start(settings(Clock.systemUTC()))) {
      var channel = edge.configSyncer().channel().orElseThrow();
      await().atMost(Duration.ofSeconds(10)).until(channel::connected);
      await().atMost(Duration.ofSeconds(10)).until(() -> syncs(edge, SyncKind.FULL) == 1);
      int port = cloud.port;

      cloud.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> !channel.connected());
      cloud = CloudHarness.start(dir.resolve("cloud"), port);
      config("PUT", "menu_items", menuItem("mi-1", "Changed while away", "9.50"));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  edge.config()
                      .find("menu_items", "mi-1")
                      .flatMap(e -> e.text("name"))
                      .orElse("")
                      .equals("Changed while away"));
      assertThat(channel.connected()).isTrue();
      assertThat(syncs(edge, SyncKind.FULL)).as("caught up by delta").isEqualTo(1);
    }
  }

  @Test
  void cloudBackAfterMoreThan24h_theRunningEdgeFullSyncsOnReconnect() throws Exception {
    ShiftedClock clock = new ShiftedClock(Duration.ZERO);
    try (EdgeServer edge = EdgeServer.start(settings(clock))) {
      var channel = edge.configSyncer().channel().orElseThrow();
      await().atMost(Duration.ofSeconds(10)).until(channel::connected);
      await().atMost(Duration.ofSeconds(10)).until(() -> syncs(edge, SyncKind.FULL) == 1);
      int port = cloud.port;

      cloud.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> !channel.connected());
      clock.set(Duration.ofHours(25));
      cloud = CloudHarness.start(dir.resolve("cloud"), port);

      await().atMost(Duration.ofSeconds(10)).until(() -> syncs(edge, SyncKind.FULL) == 2);
      assertThat(edge.configSyncer().status().lastFullSyncAt())
          .isAfter(Instant.now().plus(Duration.ofHours(24)));
    }
  }

  @Test
  void terminatedEmployee_isRefusedByTheEdgeWithinTwoSecondsOfTheAdminChange() throws Exception {
    try (EdgeServer edge = EdgeServer.start(settings(Clock.systemUTC()))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> edge.config().version() > 0);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> edge.configSyncer().channel().orElseThrow().connected());
      assertThat(pinLogin(edge, PIN).statusCode()).isEqualTo(200);

      long start = System.nanoTime();
      config("PUT", "employees", employee("terminated", null));

      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> pinLogin(edge, PIN).statusCode() == 401);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).isLessThan(2_000);
      assertThat(edge.configSyncer().channel().orElseThrow().notices()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void restart_afterMoreThan24hWithoutSync_doesAFullSync_butNotAfterOneHour() throws Exception {
    ShiftedClock clock = new ShiftedClock(Duration.ZERO);
    Instant firstFull;
    try (EdgeServer edge = EdgeServer.start(settings(clock))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> edge.config().version() > 0);
      firstFull = edge.configSyncer().status().lastFullSyncAt();
    }
    config("PUT", "menu_items", menuItem("mi-1", "Cheeseburger", "10.50"));

    clock.set(Duration.ofHours(1));
    try (EdgeServer edge = EdgeServer.start(settings(clock))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> syncs(edge, SyncKind.DELTA) + syncs(edge, SyncKind.FULL) > 0);
      assertThat(syncs(edge, SyncKind.FULL)).isZero();
      assertThat(edge.configSyncer().status().lastFullSyncAt()).isEqualTo(firstFull);
    }

    clock.set(Duration.ofHours(26));
    try (EdgeServer edge = EdgeServer.start(settings(clock))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> syncs(edge, SyncKind.FULL) >= 1);
      await().pollDelay(Duration.ofMillis(300)).until(() -> true);
      assertThat(syncs(edge, SyncKind.FULL)).isEqualTo(1);
      assertThat(edge.configSyncer().status().lastFullSyncAt())
          .isAfter(firstFull.plus(Duration.ofHours(25)));
    }
  }

  @Test
  void syncNow_withALocalVersionAheadOfTheCloud_rebuildsTheCacheByFullSync() throws Exception {
    try (EdgeServer edge =
        EdgeServer.start(settings(Clock.systemUTC()).withBackgroundSync(false))) {
      SyncOutcome first = edge.configSyncer().syncNow(SyncKind.DELTA);
      assertThat(first.kind()).isEqualTo(SyncKind.FULL);
      assertThat(first.reason()).contains("first boot");
      // A cache from somewhere else (a restored backup, another cloud): ahead of this cloud.
      dev.olympus.edge.config.ConfigFixtures.pretendVersion(edge, first.toVersion() + 50);

      SyncOutcome again = edge.configSyncer().syncNow(SyncKind.DELTA);

      assertThat(again.kind()).isEqualTo(SyncKind.FULL);
      assertThat(again.reason()).contains("version conflict");
      assertThat(again.toVersion()).isEqualTo(first.toVersion());
      assertThat(edge.config().version()).isEqualTo(first.toVersion());
    }
  }

  @Test
  void syncNow_moreThan100VersionsBehind_getsAFullSyncFromTheCloud() throws Exception {
    try (EdgeServer edge =
        EdgeServer.start(settings(Clock.systemUTC()).withBackgroundSync(false))) {
      SyncOutcome first = edge.configSyncer().syncNow(SyncKind.DELTA);
      for (int i = 0; i < 101; i++) {
        config("PUT", "menu_items", menuItem("mi-1", "Burger v" + i, "9.50"));
      }

      SyncOutcome behind = edge.configSyncer().syncNow(SyncKind.DELTA);

      assertThat(behind.kind()).isEqualTo(SyncKind.FULL);
      assertThat(behind.reason()).contains("version_gap_too_large");
      assertThat(behind.toVersion()).isGreaterThanOrEqualTo(first.toVersion() + 101);
      assertThat(edge.config().find("menu_items", "mi-1").flatMap(e -> e.text("name")))
          .contains("Burger v100");

      config("PUT", "menu_items", menuItem("mi-1", "Burger again", "9.50"));
      SyncOutcome small = edge.configSyncer().syncNow(SyncKind.DELTA);
      assertThat(small.kind()).isEqualTo(SyncKind.DELTA);
      assertThat(small.changes()).isEqualTo(1);
    }
  }
}
