package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.syncer.QueueStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A busy edge syncs every few tens of milliseconds. Its routine cycles keep their bookkeeping (the
 * time of the last sync, the pull cursor moved past its own writes) in memory and store it every
 * few seconds, so they do not each add a durable write beside the terminals' own; a stop stores
 * what is left, and a restart resumes from it.
 */
class SyncBookkeepingTest {
  @TempDir Path dir;

  @BeforeAll
  static void cloudJarPresent() {
    CloudHarness.assumeCloudAvailable();
  }

  @Test
  void routineCycles_storeNoBookkeepingOfTheirOwn_andAStopStoresWhatTheyLeftInMemory()
      throws Exception {
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0)) {
      var settings = cloud.edgeOfOneLocation(dir.resolve("edge"));
      long inMemory;
      try (EdgeServer edge = EdgeServer.start(settings)) {
        edge.records().put("orders", "o-0", Map.of("total", 0), OptionalLong.empty());
        edge.syncNow();
        QueueStatus first = edge.status();
        assertThat(first.status()).isEqualTo("synced");
        assertThat(first.lastSync()).isNotNull();

        for (int i = 1; i <= 5; i++) {
          edge.records().put("orders", "o-" + i, Map.of("total", i), OptionalLong.empty());
          edge.syncNow();
        }

        inMemory = edge.syncer().lastPulledSeq();
        QueueStatus after = edge.status();
        assertThat(after.pendingCount()).isZero();
        assertThat(inMemory)
            .as("the cursor moved past the pulls of this edge's own writes")
            .isGreaterThan(first.lastPulledSeq());
        assertThat(after.lastPulledSeq())
            .as("pages of its own writes stored nothing")
            .isEqualTo(first.lastPulledSeq());
        assertThat(after.lastSync()).as("routine cycles").isEqualTo(first.lastSync());
      }
      try (EdgeServer again = EdgeServer.start(settings)) {
        assertThat(again.status().lastPulledSeq()).as("stored on stop").isEqualTo(inMemory);
        assertThat(again.syncer().lastPulledSeq()).isEqualTo(inMemory);
      }
    }
  }
}
