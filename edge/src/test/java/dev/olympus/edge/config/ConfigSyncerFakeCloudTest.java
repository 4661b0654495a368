package dev.olympus.edge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.syncer.Backoff;
import dev.olympus.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The syncer against a fake cloud that answers what a test needs: answers out of protocol are
 * logged and skipped (never retried in a loop), a delta that does not fit the cache becomes a full
 * sync.
 */
class ConfigSyncerFakeCloudTest {
  @TempDir Path dir;
  Database db;
  HttpServer server;
  final AtomicReference<String> fullBody = new AtomicReference<>("not json {");
  final AtomicInteger fullRequests = new AtomicInteger();
  final AtomicReference<String> deltaBody = new AtomicReference<>("{}");
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(ConfigSyncer.class);

  @BeforeEach
  void start() throws Exception {
    db = EdgeDatabase.open(dir, TestEdges.API_KEY, ConfigFixtures.PROPERTY);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/sync/config/full",
        x -> {
          fullRequests.incrementAndGet();
          reply(x, 200, fullBody.get());
        });
    server.createContext("/api/sync/config/delta", x -> reply(x, 200, deltaBody.get()));
    server.createContext(
        "/api/service-hosts/", x -> reply(x, 200, "{\"config_version\":5,\"action\":null}"));
    server.start();
    logs.start();
    logger.addAppender(logs);
  }

  static void reply(com.sun.net.httpserver.HttpExchange x, int status, String body)
      throws java.io.IOException {
    x.getRequestBody().readAllBytes();
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  @AfterEach
  void stop() {
    logger.detachAppender(logs);
    server.stop(0);
    db.close();
  }

  ConfigSyncer syncer() {
    return syncer(new ConfigApplier(db.jdbi(), ConfigFixtures.PROPERTY, Clock.systemUTC()));
  }

  ConfigSyncer syncer(ConfigApplier applier) {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new ConfigSyncer(
        new ConfigClient(url, TestEdges.API_KEY, Duration.ofSeconds(2)),
        applier,
        new ConfigCache(db.jdbi()),
        "edge-1",
        Clock.systemUTC(),
        new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), new Random(7)),
        Duration.ofMinutes(10),
        Duration.ofHours(24),
        new HostHealth(dir),
        () -> 0,
        () -> true,
        new SimpleMeterRegistry());
  }

  @Test
  void syncNow_unreadableJson_throwsInvalidResponse() {
    try (ConfigSyncer s = syncer()) {
      assertThatThrownBy(() -> s.syncNow(SyncKind.FULL))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("unreadable full config payload");
    }
  }

  @Test
  void syncNow_wrongShape_throwsInvalidResponseNamingTheKey() {
    fullBody.set("{\"version\":\"seven\",\"timestamp\":\"x\",\"propertyId\":\"loc-1\"}");
    try (ConfigSyncer s = syncer()) {
      assertThatThrownBy(() -> s.syncNow(SyncKind.FULL))
          .isInstanceOf(InvalidResponseException.class)
          .hasMessageContaining("version");
    }
  }

  @Test
  void syncNow_aDeltaFromAnotherVersionThanTheCache_isReplacedByAFullSync() throws Exception {
    new ConfigApplier(db.jdbi(), ConfigFixtures.PROPERTY, Clock.systemUTC())
        .applyFull(ConfigFixtures.payload(7));
    deltaBody.set(
        dev.olympus.edge.store.Json.write(
            ConfigFixtures.delta(
                5, 9, ConfigFixtures.upsert("menu_items", "mi-1", java.util.Map.of("name", "X")))));
    fullBody.set(dev.olympus.edge.store.Json.write(ConfigFixtures.payload(9)));
    try (ConfigSyncer s = syncer()) {
      SyncOutcome o = s.syncNow(SyncKind.DELTA);

      assertThat(o.kind()).isEqualTo(SyncKind.FULL);
      assertThat(o.reason()).contains("delta does not fit").contains("at version 7");
      assertThat(o.toVersion()).isEqualTo(9);
      assertThat(s.cache().find("menu_items", "mi-1").flatMap(e -> e.text("name")))
          .contains("Burger");
    }
  }

  @Test
  void syncNow_aDeltaFailingAfterItsRowsAreWritten_keepsTheOldConfigAndVersion() throws Exception {
    ConfigApplier applier =
        new ConfigApplier(db.jdbi(), ConfigFixtures.PROPERTY, Clock.systemUTC());
    applier.applyFull(ConfigFixtures.payload(7));
    deltaBody.set(
        dev.olympus.edge.store.Json.write(
            ConfigFixtures.delta(
                7,
                9,
                ConfigFixtures.upsert("menu_items", "mi-1", java.util.Map.of("name", "New")),
                ConfigFixtures.delete("employees", "emp-1"))));
    applier.afterRowsWritten(
        rows -> {
          throw new IllegalStateException("disk I/O error after " + rows + " rows (injected)");
        });
    try (ConfigSyncer s = syncer(applier)) {
      assertThatThrownBy(() -> s.syncNow(SyncKind.DELTA)).hasMessageContaining("injected");

      assertThat(s.cache().version()).isEqualTo(7);
      assertThat(s.cache().find("menu_items", "mi-1").flatMap(e -> e.text("name")))
          .contains("Burger");
      assertThat(s.cache().find("employees", "emp-1")).isPresent();
      assertThat(s.status().lastError()).contains("injected");
    }
  }

  @Test
  void background_invalidAnswer_isLoggedAndSkippedUntilTheNextHeartbeat() {
    try (ConfigSyncer s = syncer()) {
      s.start();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  logs.list.stream()
                      .anyMatch(e -> e.getFormattedMessage().contains("skipped until the next")));
      await().pollDelay(Duration.ofMillis(500)).until(() -> true);

      // The start-up sync and the first heartbeat's: no backoff loop on a bad answer.
      assertThat(fullRequests.get()).isBetween(1, 2);
      assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.ERROR)).isEmpty();
      assertThat(s.status().consecutiveFailures()).isZero();
      assertThat(s.status().version()).isZero();
    }
  }
}
