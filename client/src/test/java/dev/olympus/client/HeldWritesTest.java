package dev.olympus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes to a record created through the edge, sent to the cloud after the edge died before passing
 * the record on: the cloud answers 404, which must not lose the write (e2e bug: "PATCH after
 * failover lost with 404"). Edge and cloud keep separate logs, so the cloud really lacks the
 * record.
 */
class HeldWritesTest {
  @TempDir Path dir;

  private final TestChangeLog edgeLog = new TestChangeLog();
  private final TestChangeLog cloudLog = new TestChangeLog();
  private final List<WriteFailure> failures = Collections.synchronizedList(new ArrayList<>());
  private RealtimeTestServer edge;
  private RealtimeTestServer cloud;
  private int edgePort;

  @BeforeEach
  void startServers() {
    edge = new RealtimeTestServer(edgeLog, "edge:e1", "edge", 500).start(0);
    edgePort = edge.port();
    cloud = new RealtimeTestServer(cloudLog, "cloud:t1", "cloud", 500).start(0);
  }

  @AfterEach
  void stopServers() {
    edge.stop();
    cloud.stop();
  }

  @Test
  void patch_recordCreatedOnEdgeThatDiedBeforePushing_heldOnCloudAndAppliedOnceWhenEdgeReturns()
      throws Exception {
    try (OlympusClient client = client(TestClients.fast(dir, edge.baseUrl(), cloud.baseUrl()))) {
      await().until(() -> client.connectionStatus().isConnectedTo(edge.baseUrl()));
      assertThat(client.put("orders", "o1", Map.of("status", "pending")).get(5, TimeUnit.SECONDS))
          .extracting(WriteResult::httpStatus)
          .isEqualTo(201);
      edge.stop();
      await().until(() -> client.connectionStatus().isConnectedTo(cloud.baseUrl()));

      CompletableFuture<WriteResult> patch =
          client.patch("orders", "o1", Map.of("status", "preparing"));
      await().until(() -> client.heldWrite().isPresent());
      HeldWrite held = client.heldWrite().orElseThrow();
      assertThat(held.write().method()).isEqualTo(WriteMethod.PATCH);
      assertThat(held.write().id()).isEqualTo("o1");
      assertThat(held.endpoint()).isEqualTo(cloud.baseUrl());
      assertThat(held.giveUpAt()).isEqualTo(held.since().plus(Duration.ofMinutes(10)));
      assertThat(client.pendingWrites()).isEqualTo(1);
      assertThat(patch).isNotDone();

      edge = new RealtimeTestServer(edgeLog, "edge:e1", "edge", 500).start(edgePort);
      WriteResult applied = patch.get(10, TimeUnit.SECONDS);

      assertThat(applied.httpStatus()).isEqualTo(200);
      assertThat(edgeLog.appliedCounts()).containsEntry(applied.write().opId(), 1);
      assertThat(cloudLog.appliedCounts()).doesNotContainKey(applied.write().opId());
      assertThat(edgeLog.current("orders", "o1").data()).containsEntry("status", "preparing");
      assertThat(client.heldWrite()).isEmpty();
      assertThat(client.pendingWrites()).isZero();
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void delete_recordReachesCloudWhileHeld_retriedAfterBackoffAndAppliedOnCloud() throws Exception {
    try (OlympusClient client =
        client(
            TestClients.fast(dir, edge.baseUrl(), cloud.baseUrl())
                .missingRecordTimeout(Duration.ofSeconds(3)))) {
      await().until(() -> client.connectionStatus().isConnectedTo(edge.baseUrl()));
      client.put("orders", "o1", Map.of("status", "pending")).get(5, TimeUnit.SECONDS);
      edge.stop();
      await().until(() -> client.connectionStatus().isConnectedTo(cloud.baseUrl()));
      CompletableFuture<WriteResult> delete = client.delete("orders", "o1");
      await().until(() -> client.heldWrite().isPresent());

      cloudLog.write("r1", "orders", "o1", Map.of("status", "pending"), false, "edge", "created");
      WriteResult applied = delete.get(5, TimeUnit.SECONDS);

      assertThat(applied.record()).containsEntry("deleted", true);
      assertThat(cloudLog.appliedCounts()).containsEntry(applied.write().opId(), 1);
      assertThat(client.heldWrite()).isEmpty();
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void patch_fallbackStillLacksRecordAtTimeout_reportedDroppedAndQueueGoesOn() throws Exception {
    edge.stop(); // never seen by this client: everything goes to the cloud
    MutableClock clock = new MutableClock();
    try (OlympusClient client =
        client(
            TestClients.fast(dir, edge.baseUrl(), cloud.baseUrl())
                .clock(clock)
                .heartbeatInterval(Duration.ofSeconds(5))
                .missingRecordTimeout(Duration.ofSeconds(1)))) {
      await().until(() -> client.connectionStatus().isConnectedTo(cloud.baseUrl()));
      CompletableFuture<WriteResult> patch = client.patch("orders", "o1", Map.of("n", 1));
      CompletableFuture<WriteResult> behind = client.put("orders", "o2", Map.of("n", 2));

      // The clock stands still: the write is retried a bounded number of times, then waits.
      await().until(() -> cloud.notFoundAnswers() == 2);
      DeliveryTest.sleep(700);
      assertThat(cloud.notFoundAnswers())
          .as("tries on a fallback stay below the cloud's retry_attempts (3)")
          .isEqualTo(2);
      assertThat(client.heldWrite()).isPresent();
      assertThat(client.pendingWrites()).isEqualTo(2);
      assertThat(behind).as("a held write holds the queue").isNotDone();
      assertThat(failures).isEmpty();

      clock.advance(Duration.ofSeconds(1));

      assertThatThrownBy(() -> patch.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(WriteRejectedException.class)
          .hasMessageContaining("404");
      assertThat(behind.get(5, TimeUnit.SECONDS).httpStatus()).isEqualTo(201);
      assertThat(failures)
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.httpStatus()).isEqualTo(404);
                assertThat(f.error()).isEqualTo("not_found");
                assertThat(f.write().id()).isEqualTo("o1");
                assertThat(f.message())
                    .contains(cloud.baseUrl() + " still does not know orders/o1")
                    .contains("created through " + edge.baseUrl())
                    .contains("then write again");
              });
      assertThat(cloud.notFoundAnswers()).as("given up without another try").isEqualTo(2);
      assertThat(client.heldWrite()).isEmpty();
      assertThat(client.pendingWrites()).isZero();
    }
  }

  @Test
  void patch_preferredEndpointAnswers404_finalAtOnce() throws Exception {
    try (OlympusClient client = client(TestClients.fast(dir, edge.baseUrl(), cloud.baseUrl()))) {
      await().until(() -> client.connectionStatus().isConnectedTo(edge.baseUrl()));
      CompletableFuture<WriteResult> patch = client.patch("orders", "ghost", Map.of("n", 1));

      assertThatThrownBy(() -> patch.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(WriteRejectedException.class)
          .hasMessageContaining("404 not_found");
      assertThat(edge.notFoundAnswers()).isEqualTo(1);
      assertThat(failures).singleElement().extracting(WriteFailure::httpStatus).isEqualTo(404);
      assertThat(client.heldWrite()).isEmpty();
      assertThat(client.pendingWrites()).isZero();
    }
  }

  @Test
  void patch_heldWrite_laterWritesWaitAndAllApplyInOrderOnEdgeReturn() throws Exception {
    try (OlympusClient client = client(TestClients.fast(dir, edge.baseUrl(), cloud.baseUrl()))) {
      await().until(() -> client.connectionStatus().isConnectedTo(edge.baseUrl()));
      client.put("orders", "o1", Map.of("n", 0)).get(5, TimeUnit.SECONDS);
      edge.stop();
      await().until(() -> client.connectionStatus().isConnectedTo(cloud.baseUrl()));

      client.patch("orders", "o1", Map.of("n", 1));
      client.put("orders", "o2", Map.of("n", 1));
      client.delete("orders", "o1");
      CompletableFuture<WriteResult> last = client.put("orders", "o1", Map.of("n", 3));
      await().until(() -> client.heldWrite().isPresent());
      DeliveryTest.sleep(200);
      assertThat(client.pendingWrites()).isEqualTo(4);
      assertThat(cloudLog.entries()).as("nothing overtakes the held write").isEmpty();

      edge = new RealtimeTestServer(edgeLog, "edge:e1", "edge", 500).start(edgePort);
      last.get(10, TimeUnit.SECONDS);

      assertThat(edgeLog.entries())
          .extracting(e -> e.id() + ":" + e.action() + ":" + e.data().get("n"))
          .containsExactly(
              "o1:created:0", "o1:updated:1", "o2:created:1", "o1:deleted:null", "o1:created:3");
      assertThat(edgeLog.appliedCounts()).hasSize(5).allSatisfy((op, n) -> assertThat(n).isOne());
      assertThat(client.pendingWrites()).isZero();
      assertThat(failures).isEmpty();
    }
  }

  private OlympusClient client(OlympusClient.Builder builder) {
    OlympusClient client = builder.build();
    client.onWriteFailure(failures::add);
    client.start();
    return client;
  }

  /** A clock that moves only when told, so a deadline passes exactly when the test says. */
  private static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2025-01-01T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
