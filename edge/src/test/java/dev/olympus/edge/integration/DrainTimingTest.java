package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.syncer.CycleResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Times one edge draining a backlog of ~600-byte order ops to the cloud on loopback. Off by default
 * (the real benchmark lives in {@code bench/}); run with {@code -Dedge.drain.ops=100000}.
 */
@EnabledIfSystemProperty(named = "edge.drain.ops", matches = "\\d+")
class DrainTimingTest {
  @TempDir Path dir;

  @Test
  void syncNow_largeBacklog_drainsEverythingAndPrintsTheRate() throws Exception {
    int n = Integer.getInteger("edge.drain.ops");
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0)) {
      cloud.createTenant("t1");
      cloud.createLocation("t1", "loc-1");
      String token = cloud.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      cloud.admin(
          "PUT",
          "/api/v1/admin/tenants/t1/sync-config",
          Map.of("sync_config", SyncConfig.defaults().withBatchSize(5_000)));
      try (EdgeServer edge =
          EdgeServer.start(
              TestEdges.settings(dir.resolve("edge"), cloud.url(), token, "loc-1")
                  .withDeviceId("edge-1"))) {
        long t0 = System.nanoTime();
        for (int chunk = 0; chunk < n; chunk += 10_000) {
          Map<String, Map<String, Object>> orders = new LinkedHashMap<>();
          for (int i = chunk; i < Math.min(n, chunk + 10_000); i++) {
            orders.put("order-" + i, order(i));
          }
          edge.records().putAll("orders", orders);
        }
        long t1 = System.nanoTime();
        CycleResult r = edge.syncNow();
        long t2 = System.nanoTime();
        System.out.printf(
            "backlog of %d written in %d ms; drained in %d ms (%.0f ops/s): %s%n",
            n, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, n * 1e9 / (t2 - t1), r);
        assertThat(r.pushed()).isEqualTo(n);
        assertThat(edge.outbox().size()).isZero();
      }
    }
  }

  static Map<String, Object> order(int i) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("order_number", 1000 + i);
    o.put("status", "pending");
    o.put("table", "T" + (i % 40));
    o.put("server", "employee-" + (i % 12));
    o.put(
        "items",
        List.of(
            Map.of("sku", "burger-classic", "qty", 2, "price", 1299, "mods", List.of("no onions")),
            Map.of("sku", "fries-large", "qty", 1, "price", 499, "mods", List.of()),
            Map.of("sku", "soda-cola", "qty", 2, "price", 299, "mods", List.of("no ice"))));
    o.put("subtotal", 4695);
    o.put("tax", 411);
    o.put("total", 5106);
    o.put("kitchen_notes", "allergy: peanuts; rush order for table " + (i % 40));
    o.put("created_at", "2026-11-21T14:32:15.123Z");
    o.put("customer", Map.of("name", "Guest " + i, "loyalty_id", "L-" + (100000 + i)));
    return o;
  }
}
