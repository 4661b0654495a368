package dev.olympus.edge.syncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineSyncTest {
  @TempDir Path dir;

  @Test
  void syncNow_cloudUnreachable_failsAsOfflineAndTheStateSurvivesARestart() throws Exception {
    try (EdgeServer edge = TestEdges.offlineEdge(dir)) {
      edge.records().put("orders", "o1", Map.of("total", 10), OptionalLong.empty());
      edge.records().put("payments", "p1", Map.of("amount", 10), OptionalLong.empty());

      assertThatThrownBy(edge::syncNow)
          .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.unreachable()).isTrue());
      assertThatThrownBy(edge::syncNow).isInstanceOf(CloudException.class);

      QueueStatus s = edge.status();
      assertThat(s.status()).isEqualTo("offline");
      assertThat(s.offlineSince()).isNotNull();
      assertThat(s.consecutiveFailures()).isEqualTo(2);
      assertThat(s.lastError()).contains("cannot reach the cloud");
    }
    try (EdgeServer again = TestEdges.offlineEdge(dir)) {
      QueueStatus s = again.status();
      assertThat(s.status()).isEqualTo("offline");
      assertThat(s.pendingCount()).isEqualTo(2);
      assertThat(s.consecutiveFailures()).isEqualTo(2);
      assertThat(s.queued().get(0).collection()).isEqualTo("payments");
      assertThat(again.syncer().online()).isFalse();
    }
  }

  @Test
  void start_afterWritesOffline_newVersionsAreAboveEveryStoredOne() {
    long first;
    try (EdgeServer edge = TestEdges.offlineEdge(dir)) {
      first =
          edge.records()
              .put("tables", "t1", Map.of("n", 1), OptionalLong.empty())
              .record()
              .version();
    }
    try (EdgeServer edge = TestEdges.offlineEdge(dir)) {
      long second =
          edge.records()
              .put("tables", "t2", Map.of("n", 1), OptionalLong.empty())
              .record()
              .version();
      assertThat(second).isGreaterThan(first);
    }
  }
}
