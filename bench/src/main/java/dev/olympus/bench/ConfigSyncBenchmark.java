package dev.olympus.bench;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.cloud.config.ConfigStore;
import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.config.SyncKind;
import dev.olympus.edge.config.SyncOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Config sync end to end (issue 4, seed 003): the cloud builds the payload from its store, it
 * crosses HTTP on loopback, the edge parses it and applies it to its encrypted SQLite database in
 * one transaction. Everything runs in this JVM; each figure is the wall time of one {@code
 * ConfigSyncer.syncNow} on the edge.
 *
 * <p>Workload: one property with {@code --menu-items} menu items (default 5,000), {@code --links}
 * modifier links split evenly between {@code menu_item_modifier_groups} and {@code
 * modifier_group_modifiers} (default 20,000), {@code --employees} employees with bcrypt PIN hashes
 * (default 200), plus their roles, privileges, screen lookup units, tax groups, modifier groups and
 * modifiers. The cloud is seeded through its config store directly (each entity its own transaction
 * and config version, as the admin API would commit it, without 28,000 HTTP calls). Then: {@code
 * --runs} full syncs (the first one, the first boot, is reported apart; the median of the others is
 * the figure), and {@code --deltas} deltas of {@code --delta-size} menu-item changes each (the
 * cloud's writes are not timed; the sync that brings them to the edge is).
 *
 * <p>Run: {@code ./olympus bench config-sync [--menu-items 5000] [--links 20000] [--employees 200]
 * [--runs 7] [--deltas 200] [--delta-size 10]}. Targets: full sync median ≤ 300 ms, delta p99 ≤ 20
 * ms.
 */
public final class ConfigSyncBenchmark {
  private static final String BY = "bench";

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = DrainBenchmark.options(args);
    int menuItems = Integer.parseInt(opts.getOrDefault("menu-items", "5000"));
    int links = Integer.parseInt(opts.getOrDefault("links", "20000"));
    int employees = Integer.parseInt(opts.getOrDefault("employees", "200"));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "7"));
    int deltas = Integer.parseInt(opts.getOrDefault("deltas", "200"));
    int deltaSize = Integer.parseInt(opts.getOrDefault("delta-size", "10"));
    if (runs < 2 || deltaSize < 1 || deltaSize > ConfigRegistry.MAX_DELTA_GAP) {
      throw new IllegalArgumentException(
          "--runs must be at least 2 and --delta-size 1 to " + ConfigRegistry.MAX_DELTA_GAP);
    }
    // One INFO line per sync is right for an edge, noise for 200 timed deltas.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.olympus.edge.config"))
        .setLevel(ch.qos.logback.classic.Level.WARN);

    Path dir = Files.createTempDirectory("olympus-config-sync-");
    HttpClient http = HttpClient.newHttpClient();
    try (CloudServer cloud =
        CloudServer.start(
            CloudSettings.defaults(dir.resolve("cloud"))
                .withHost("127.0.0.1")
                .withAdminToken("bench"))) {
      String cloudUrl = "http://127.0.0.1:" + cloud.port();
      AdminApi api = new AdminApi(http, cloudUrl, "bench");
      api.send("POST", "/api/v1/admin/tenants", Map.of("id", "t1", "name", "Bench Burgers"));
      api.send(
          "POST", "/api/v1/admin/tenants/t1/locations", Map.of("id", "loc-1", "name", "Bench"));
      String edgeToken = api.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");

      long seedStart = System.nanoTime();
      int entities = seed(cloud.config().store(), menuItems, links, employees);
      System.out.printf(
          Locale.ROOT,
          "seeded %,d entities in %.1f s%n",
          entities,
          (System.nanoTime() - seedStart) / 1e9);

      try (EdgeServer edge =
          EdgeServer.start(
              EdgeSettings.of(dir.resolve("edge"), URI.create(cloudUrl), edgeToken, "loc-1")
                  .withDeviceId("edge-1")
                  .withHost("127.0.0.1")
                  .withPort(0)
                  .withBackgroundSync(false))) {
        double[] full = new double[runs];
        double[] applying = new double[runs - 1];
        int stored = 0;
        for (int i = 0; i < runs; i++) {
          long t = System.nanoTime();
          SyncOutcome o = edge.configSyncer().syncNow(SyncKind.FULL);
          full[i] = (System.nanoTime() - t) / 1e6;
          if (i > 0) {
            applying[i - 1] = o.applyMillis();
          }
          stored = o.changes();
        }
        Arrays.sort(applying);
        if (edge.config().count("menu_items") != menuItems) {
          throw new IllegalStateException(
              "the edge holds " + edge.config().count("menu_items") + " menu items");
        }
        // Where the rest goes: the cloud reading its store into a payload (no HTTP, no JSON).
        double[] building = new double[runs - 1];
        for (int i = 0; i < building.length; i++) {
          long t = System.nanoTime();
          cloud.config().store().fullSync("loc-1", "t1");
          building[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(building);
        double first = full[0];
        double[] warm = Arrays.copyOfRange(full, 1, runs);
        Arrays.sort(warm);
        System.out.printf(
            Locale.ROOT,
            "full sync of %,d entities: first boot %.0f ms; then median %.0f ms (min %.0f, max"
                + " %.0f; medians of the parts: cloud reads its store %.0f ms, edge applies %.0f"
                + " ms) over %d runs%n",
            stored,
            first,
            percentile(warm, 50),
            warm[0],
            warm[warm.length - 1],
            percentile(building, 50),
            percentile(applying, 50),
            warm.length);

        double[] delta = new double[deltas];
        ConfigStore store = cloud.config().store();
        var menuType = ConfigRegistry.require("menu_items");
        for (int d = 0; d < deltas; d++) {
          for (int c = 0; c < deltaSize; c++) {
            int item = (d * deltaSize + c) % menuItems;
            store.replace(menuType, menuItemId(item), "t1", menuItem(item, d), BY);
          }
          long t = System.nanoTime();
          SyncOutcome o = edge.configSyncer().syncNow(SyncKind.DELTA);
          delta[d] = (System.nanoTime() - t) / 1e6;
          if (o.kind() != SyncKind.DELTA || o.changes() != deltaSize) {
            throw new IllegalStateException("expected a delta of " + deltaSize + ", got " + o);
          }
        }
        Arrays.sort(delta);
        System.out.printf(
            Locale.ROOT,
            "delta of %d changes: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d deltas%n",
            deltaSize,
            percentile(delta, 50),
            percentile(delta, 99),
            delta[delta.length - 1],
            deltas);
      }
    } finally {
      DrainBenchmark.deleteTree(dir);
    }
  }

  /** Seeds the property in dependency order; returns how many entities were created. */
  static int seed(ConfigStore store, int menuItems, int links, int employees) {
    int n = 0;
    String pinHash = BCrypt.withDefaults().hashToString(10, "4821".toCharArray());
    n += create(store, "privileges", "void_item", Map.of("enterprise_id", "t1", "name", "Void"));
    int roles = 5;
    for (int i = 0; i < roles; i++) {
      n +=
          create(
              store,
              "roles",
              "role-" + i,
              property("name", "Role " + i, "privileges", List.of("void_item")));
    }
    for (int i = 0; i < employees; i++) {
      n +=
          create(
              store,
              "employees",
              String.format("emp-%04d", i),
              property(
                  "first_name", "First" + i,
                  "last_name", "Last" + i,
                  "role_id", "role-" + (i % roles),
                  "status", "active",
                  "pin_hash", pinHash));
    }
    int slus = 50;
    for (int i = 0; i < slus; i++) {
      n += create(store, "slus", "slu-" + i, property("name", "SLU " + i));
    }
    for (int i = 0; i < 3; i++) {
      n += create(store, "tax_groups", "tax-" + i, property("name", "Tax " + i, "rate", "8.50"));
    }
    for (int i = 0; i < menuItems; i++) {
      n += create(store, "menu_items", menuItemId(i), menuItem(i, -1));
    }
    int groups = Math.max(1, links / 20);
    int modifiers = Math.max(1, links / 10);
    for (int i = 0; i < groups; i++) {
      n += create(store, "modifier_groups", "mg-" + i, property("name", "Group " + i));
    }
    for (int i = 0; i < modifiers; i++) {
      n +=
          create(
              store, "modifiers", "mod-" + i, property("name", "Modifier " + i, "price", "0.50"));
    }
    int itemLinks = links / 2;
    for (int i = 0; i < itemLinks; i++) {
      n +=
          create(
              store,
              "menu_item_modifier_groups",
              "mimg-" + i,
              property(
                  "menu_item_id",
                  menuItemId(i % menuItems),
                  "modifier_group_id",
                  "mg-" + (i % groups)));
    }
    for (int i = 0; i < links - itemLinks; i++) {
      n +=
          create(
              store,
              "modifier_group_modifiers",
              "mgm-" + i,
              property(
                  "modifier_group_id",
                  "mg-" + (i % groups),
                  "modifier_id",
                  "mod-" + (i % modifiers)));
    }
    return n;
  }

  private static String menuItemId(int i) {
    return String.format("mi-%05d", i);
  }

  private static Map<String, Object> menuItem(int i, int revision) {
    return property(
        "name", (revision < 0 ? "Item " : "Item r" + revision + " ") + i,
        "price", (5 + i % 20) + ".50",
        "slu_id", "slu-" + (i % 50),
        "tax_group_id", "tax-" + (i % 3),
        "active", true);
  }

  private static Map<String, Object> property(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(ConfigRegistry.PROPERTY_ID, "loc-1");
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static int create(ConfigStore store, String type, String id, Map<String, Object> data) {
    store.create(ConfigRegistry.require(type), id, data, BY);
    return 1;
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
