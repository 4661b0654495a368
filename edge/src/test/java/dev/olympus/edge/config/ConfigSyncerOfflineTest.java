package dev.olympus.edge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.syncer.Backoff;
import dev.olympus.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ConfigSyncerOfflineTest {
  @TempDir Path dir;
  Database db;
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(ConfigSyncer.class);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, TestEdges.API_KEY, ConfigFixtures.PROPERTY);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void close() {
    logger.detachAppender(logs);
    db.close();
  }

  ConfigSyncer syncer(Duration heartbeat) {
    return new ConfigSyncer(
        new ConfigClient(TestEdges.DEAD_CLOUD, TestEdges.API_KEY, Duration.ofSeconds(2)),
        new ConfigApplier(db.jdbi(), ConfigFixtures.PROPERTY, Clock.systemUTC()),
        new ConfigCache(db.jdbi()),
        "edge-1",
        Clock.systemUTC(),
        new Backoff(Duration.ofMillis(5), Duration.ofMillis(40), new Random(7)),
        heartbeat,
        Duration.ofHours(24),
        new HostHealth(dir),
        () -> 3,
        () -> false,
        registry);
  }

  List<String> lines(Level level) {
    return logs.list.stream()
        .filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void start_cloudUnreachable_retriesWithBackoffThenAlertsOnceAndMarksError() {
    try (ConfigSyncer s = syncer(Duration.ofMillis(300))) {
      s.start();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> lines(Level.ERROR).stream().anyMatch(l -> l.startsWith("ALERT")));

      assertThat(s.status().syncStatus()).isEqualTo(SyncStatus.ERROR);
      assertThat(s.status().consecutiveFailures()).isGreaterThanOrEqualTo(6);
      assertThat(s.status().lastError()).contains("cannot reach the cloud");
      assertThat(s.status().version()).isZero();
      String alert = lines(Level.ERROR).get(0);
      // First boot: the sync it kept trying is a full one; 1 attempt + 5 retries.
      assertThat(alert).contains("config sync (full) failed 6 times").contains("5 retries");
      // It keeps trying at the heartbeat interval, without a second ALERT.
      long failures = s.status().consecutiveFailures();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> s.status().consecutiveFailures() > failures);
      assertThat(lines(Level.ERROR)).hasSize(1);
      // The heartbeat failed quietly: one line when it could not reach the cloud.
      assertThat(lines(Level.WARN).stream().filter(l -> l.startsWith("heartbeat failed")))
          .hasSize(1);
      assertThat(
              registry
                  .get("edge.config.syncs")
                  .tag("kind", "full")
                  .tag("result", "error")
                  .counter()
                  .count())
          .isGreaterThanOrEqualTo(6);
    }
  }
}
