package dev.olympus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's promise under crashes: a 10,000-op backlog queued on an edge reaches the cloud
 * exactly once, in content and in count, while the edge (or the cloud) is killed with SIGKILL at
 * random moments and restarted, twenty times each.
 *
 * <p>Every kill happens while ops are still queued: when the backlog runs low before the last kill,
 * the terminals queue more, so each kill interrupts a drain.
 *
 * <p>"Exactly once" is checked twice: the cloud's records equal what the terminals wrote, and the
 * cloud's change counter moved by exactly the number of ops (every applied op takes one sequence
 * number, so an op applied twice would show as one number too many).
 */
class CrashIT {
  static final int ORDERS = 7_000;
  static final int STATUS_CHANGES = 2_000;
  static final int PAYMENTS = 1_000;
  static final int OPS = ORDERS + STATUS_CHANGES + PAYMENTS;
  static final int KILLS = 20;

  @Test
  void edgeKilledWhileDraining_cloudHasEveryOpExactlyOnce(@TempDir Path dir) throws Exception {
    try (Restaurant r = new Restaurant(dir)) {
      long baseline = queueBacklogWhileCloudIsDown(r);
      r.startCloud();

      Random random = new Random(20261122);
      int kills = 0;
      while (kills < KILLS) {
        Thread.sleep(100 + random.nextInt(600));
        r.topUpBacklog(200);
        r.edge.kill();
        kills++;
        r.startEdge();
      }
      assertDrainedExactlyOnce(r, baseline);
    }
  }

  @Test
  void cloudKilledWhileReceiving_cloudHasEveryOpExactlyOnce(@TempDir Path dir) throws Exception {
    try (Restaurant r = new Restaurant(dir)) {
      long baseline = queueBacklogWhileCloudIsDown(r);
      r.startCloud();

      Random random = new Random(1122);
      int kills = 0;
      while (kills < KILLS) {
        Thread.sleep(100 + random.nextInt(900));
        r.topUpBacklog(200);
        r.cloud.kill();
        kills++;
        r.startCloud();
      }
      assertDrainedExactlyOnce(r, baseline);
    }
  }

  /**
   * Starts a cloud and an edge, lets the edge sync once (so it knows its sync config), stops the
   * cloud, writes the backlog through the edge's LAN API, and returns the cloud's change counter
   * before the backlog.
   */
  private static long queueBacklogWhileCloudIsDown(Restaurant r) throws Exception {
    r.startCloud();
    r.register(10);
    r.startEdge();
    await("edge reports its first sync")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                !r.admin()
                    .expect(200, "GET", "/api/v1/sync/status/" + Restaurant.LOCATION, null)
                    .path("last_sync")
                    .isNull());
    long baseline = r.cloudState().maxSeq();
    r.cloud.kill();
    r.writeBacklog(ORDERS, STATUS_CHANGES, PAYMENTS);
    assertThat(r.expected).hasSize(ORDERS + PAYMENTS);
    return baseline;
  }

  private static void assertDrainedExactlyOnce(Restaurant r, long baseline) throws Exception {
    await("the backlog drained to the cloud")
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(() -> r.cloudState().records().size() >= r.expected.size());
    // Let any in-flight retry land before counting, so a late duplicate would be seen.
    Thread.sleep(3_000);
    Restaurant.CloudState state = r.cloudState();
    assertThat(state.records()).hasSameSizeAs(r.expected);
    for (var e : r.expected.entrySet()) {
      assertThat(state.records().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(state.maxSeq())
        .as("the cloud's change counter moved once per op: nothing applied twice")
        .isEqualTo(baseline + OPS + r.extraOps);
  }
}
