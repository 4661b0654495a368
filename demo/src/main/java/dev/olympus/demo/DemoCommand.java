package dev.olympus.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.core.iot.sim.Simulation;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.payments.PaymentSettings;
import dev.olympus.edge.syncer.QueueStatus;
import dev.olympus.web.link.TcpProxy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code olympus demo}: a cloud, two restaurants' edges and simulated terminals in one process. One
 * restaurant loses its internet link for a while and catches up when it returns; every few seconds
 * the demo prints each location's sync status, as the cloud and the edge see it.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Runs a cloud, two edges (two locations of one tenant) and simulated terminals writing"
            + " orders and payments; one location goes offline for a while and comes back. Prints"
            + " each location's sync status every few seconds until Ctrl-C.")
public final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TENANT = "t1";

  @Option(names = "--port", description = "The cloud's port (default ${DEFAULT-VALUE}).")
  int port = 8080;

  @Option(
      names = "--data-dir",
      description = "Where the demo keeps its databases (default: a new temporary folder).")
  Path dataDir;

  @Option(
      names = "--offline-after",
      description = "Seconds before Oakland loses its link (default ${DEFAULT-VALUE}).")
  int offlineAfter = 15;

  @Option(
      names = "--offline-for",
      description = "Seconds Oakland stays offline (default ${DEFAULT-VALUE}).")
  int offlineFor = 30;

  @Option(
      names = "--status-every",
      description = "Seconds between status panels (default ${DEFAULT-VALUE}).")
  int statusEvery = 5;

  @Option(
      names = "--duration",
      description = "Stop after this many seconds (default: run until Ctrl-C).")
  Integer durationSeconds;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final PrintStream out = System.out;

  /** One simulated restaurant. */
  private record Location(
      String id,
      String name,
      EdgeServer edge,
      TcpProxy link,
      String terminalToken,
      AtomicLong ordersWritten,
      AtomicLong paymentsWritten,
      SimulatedSensors sensors) {}

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("olympus-demo-");
    String adminToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    out.println("Olympus demo — data in " + dir);
    try (CloudServer cloud =
            CloudServer.start(
                CloudSettings.defaults(dir.resolve("cloud"))
                    .withPort(port)
                    .withAdminToken(adminToken));
        DemoCardProcessor cards = new DemoCardProcessor()) {
      String cloudUrl = "http://127.0.0.1:" + cloud.port();
      out.println("cloud   " + cloudUrl + "   (admin token " + adminToken + ")");
      out.println("cards   " + cards.url() + "   (the demo's stand-in for Stripe; no money moves)");
      admin(
          cloudUrl,
          adminToken,
          "POST",
          "/api/v1/admin/tenants",
          Map.of("id", TENANT, "name", "Olympus Burgers"));
      JsonNode config =
          admin(cloudUrl, adminToken, "GET", "/api/v1/admin/tenants/t1/sync-config", null);
      ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("sync_config"))
          .put("interval_seconds", 5);
      admin(cloudUrl, adminToken, "PUT", "/api/v1/admin/tenants/t1/sync-config", config);

      List<Location> locations = new ArrayList<>();
      try {
        locations.add(
            openLocation(cloud, cloudUrl, adminToken, cards.url(), dir, "loc-1", "Downtown SF", 1));
        locations.add(
            openLocation(cloud, cloudUrl, adminToken, cards.url(), dir, "loc-2", "Oakland", 2));
        // Privileges are the brand's; roles, employees and menus each location's.
        admin(
            cloudUrl,
            adminToken,
            "POST",
            "/api/v1/config/privileges",
            Map.of("id", "void_item", "enterprise_id", TENANT, "name", "Void an item"));
        for (Location l : locations) {
          seedMenu(cloudUrl, adminToken, l);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        for (Location l : locations) {
          awaitConfig(cloud, l);
          Thread.ofVirtual().name("terminal-" + l.id()).start(() -> runTerminal(l, stop));
          l.sensors().connect(l.edge().mqttPort());
          Thread.ofVirtual().name("sensors-" + l.id()).start(() -> l.sensors().run(stop));
        }
        Location oakland = locations.get(1);
        Thread.ofVirtual().name("outage").start(() -> runOutage(oakland, stop));
        Thread.ofVirtual()
            .name("menu-editor")
            .start(() -> editMenu(cloudUrl, adminToken, locations, stop));
        Instant end =
            durationSeconds == null ? Instant.MAX : Instant.now().plusSeconds(durationSeconds);
        while (!stop.await(statusEvery, java.util.concurrent.TimeUnit.SECONDS)) {
          printPanel(cloud, cloudUrl, adminToken, locations);
          if (Instant.now().isAfter(end)) {
            break;
          }
        }
        stop.countDown();
      } finally {
        for (Location l : locations) {
          l.sensors().close();
          l.edge().close();
          l.link().close();
        }
      }
    }
    return 0;
  }

  private Location openLocation(
      CloudServer cloud,
      String cloudUrl,
      String adminToken,
      URI cardProcessor,
      Path dir,
      String id,
      String name,
      int n)
      throws Exception {
    admin(
        cloudUrl,
        adminToken,
        "POST",
        "/api/v1/admin/tenants/t1/locations",
        Map.of("id", id, "name", name));
    String base = "/api/v1/admin/tenants/t1/locations/" + id + "/devices";
    String edgeToken =
        admin(
                cloudUrl,
                adminToken,
                "POST",
                base,
                Map.of("device_id", "edge-" + n, "device_type", "olympus_edge"))
            .get("token")
            .asText();
    String terminalToken =
        admin(
                cloudUrl,
                adminToken,
                "POST",
                base,
                Map.of("device_id", "pos-" + n, "device_type", "pos_terminal"))
            .get("token")
            .asText();
    TcpProxy link = new TcpProxy(name, cloud.port());
    EdgeServer edge =
        EdgeServer.start(
            EdgeSettings.of(
                    dir.resolve("edge-" + n),
                    URI.create("http://127.0.0.1:" + link.port()),
                    edgeToken,
                    id)
                .withDeviceId("edge-" + n)
                .withHost("127.0.0.1")
                .withPort(0)
                .withMqttPort(0)
                .withPayments(
                    PaymentSettings.defaults()
                        .withStripe(DemoCardProcessor.SECRET_KEY, cardProcessor)));
    out.printf(
        "edge    %-12s http://127.0.0.1:%d   (location %s, terminal pos-%d)%n",
        name, edge.port(), id, n);
    // Terminals authenticate against the edge, which learns their tokens from the cloud.
    edge.syncNow();
    // The restaurant's sensors, registered in the cloud; config sync brings them to the edge.
    Simulation simulation = Simulation.restaurant(TENANT, id, n, "l" + n + "-");
    Map<String, String> passwords = new HashMap<>();
    for (IotDevice d : simulation.devices()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("device_id", d.deviceId());
      body.put("device_type", d.type().wireName());
      body.put("location_id", id);
      body.put("name", d.name());
      if (d.targetMin() != null) {
        body.put("target_min", d.targetMin());
      }
      if (d.targetMax() != null) {
        body.put("target_max", d.targetMax());
      }
      if (d.unit() != null) {
        body.put("unit", d.unit());
      }
      JsonNode registered =
          admin(cloudUrl, adminToken, "POST", "/api/v1/admin/tenants/t1/iot/devices", body);
      passwords.put(d.deviceId(), registered.get("mqtt_password").asText());
    }
    out.printf(
        "sensors %-12s mqtt://127.0.0.1:%d   (%d simulated devices)%n",
        name, edge.mqttPort(), passwords.size());
    return new Location(
        id,
        name,
        edge,
        link,
        terminalToken,
        new AtomicLong(),
        new AtomicLong(),
        new SimulatedSensors(simulation, passwords));
  }

  /**
   * The restaurant's configuration, written once in the cloud (seed 003): a role, an employee with
   * a PIN, a tax group, a menu. Each edge gets it by config sync, full at first, then by deltas.
   */
  private void seedMenu(String cloudUrl, String adminToken, Location l) throws Exception {
    String c = "/api/v1/config/";
    String p = l.id();
    admin(
        cloudUrl,
        adminToken,
        "POST",
        c + "roles",
        Map.of(
            "id",
            p + "-server",
            "property_id",
            p,
            "name",
            "Server",
            "privileges",
            List.of("void_item")));
    admin(
        cloudUrl,
        adminToken,
        "POST",
        c + "employees",
        Map.of(
            "id",
            p + "-ana",
            "property_id",
            p,
            "first_name",
            "Ana",
            "last_name",
            "Diaz",
            "role_id",
            p + "-server",
            "pin",
            "4321"));
    admin(
        cloudUrl,
        adminToken,
        "POST",
        c + "tax_groups",
        Map.of("id", p + "-tax", "property_id", p, "name", "Sales tax", "rate", "0.0875"));
    admin(
        cloudUrl,
        adminToken,
        "POST",
        c + "slus",
        Map.of("id", p + "-burgers", "property_id", p, "name", "Burgers"));
    for (String[] item : MENU) {
      admin(
          cloudUrl,
          adminToken,
          "POST",
          c + "menu_items",
          Map.of(
              "id",
              p + "-" + item[0],
              "property_id",
              p,
              "name",
              item[1],
              "price",
              item[2],
              "slu_id",
              p + "-burgers",
              "tax_group_id",
              p + "-tax"));
    }
  }

  /** Terminals take orders once the edge holds the menu (within a second: config:updated). */
  private static void awaitConfig(CloudServer cloud, Location l) throws InterruptedException {
    long cloudVersion = cloud.config().store().state(l.id(), TENANT).version();
    for (int i = 0; i < 100 && l.edge().config().version() < cloudVersion; i++) {
      Thread.sleep(100);
    }
  }

  private static final String[][] MENU = {
    {"classic", "Classic Burger", "11.50"},
    {"double", "Double Burger", "14.25"},
    {"fries", "Fries", "4.00"}
  };

  /** Every 15 s the cloud changes a price; each edge's CONFIG version follows within a second. */
  private void editMenu(
      String cloudUrl, String adminToken, List<Location> locations, CountDownLatch stop) {
    int cents = 1150;
    try {
      while (!stop.await(15, java.util.concurrent.TimeUnit.SECONDS)) {
        cents += 25;
        String price = String.format(java.util.Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
        for (Location l : locations) {
          admin(
              cloudUrl,
              adminToken,
              "PUT",
              "/api/v1/config/menu_items/" + l.id() + "-classic",
              Map.of(
                  "property_id",
                  l.id(),
                  "name",
                  "Classic Burger",
                  "price",
                  price,
                  "slu_id",
                  l.id() + "-burgers",
                  "tax_group_id",
                  l.id() + "-tax"));
        }
        out.println("cloud: Classic Burger now " + price + " at every location");
      }
    } catch (Exception e) {
      if (stop.getCount() > 0) {
        out.println("menu editor stopped: " + e.getMessage());
      }
    }
  }

  /** A POS terminal: an order every ~400 ms, moved through its statuses, paid when completed. */
  private void runTerminal(Location l, CountDownLatch stop) {
    String api = "http://127.0.0.1:" + l.edge().port() + "/api/v1/orders";
    String p = l.id();
    List<String> open = new ArrayList<>();
    String[] statuses = {"confirmed", "preparing", "ready"};
    Map<String, Integer> stage = new LinkedHashMap<>();
    long n = 0;
    while (stop.getCount() > 0) {
      try {
        n++;
        // An order priced by the edge from the menu the cloud configured, offline or not.
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("order_type", n % 3 == 0 ? "takeout" : "dine_in");
        order.put("employee_id", p + "-ana");
        order.put(
            "items",
            List.of(
                Map.of("menu_item_id", p + (n % 2 == 0 ? "-classic" : "-double"), "quantity", 1),
                Map.of("menu_item_id", p + "-fries", "quantity", 1 + (int) (n % 2))));
        String orderId = send(api, l.terminalToken(), "POST", order).get("id").asText();
        l.ordersWritten().incrementAndGet();
        open.add(orderId);
        stage.put(orderId, 0);
        for (String id : List.copyOf(open)) {
          int s = stage.get(id);
          if (s < statuses.length) {
            terminal(l, "POST", api + "/" + id + "/status", Map.of("status", statuses[s]));
            stage.put(id, s + 1);
            continue;
          }
          // Ready: pay what is due (cash, or a card authorized offline) and complete.
          String due =
              send(api + "/" + id, l.terminalToken(), "GET", null).get("balance_due").asText();
          Map<String, Object> payment = new LinkedHashMap<>();
          payment.put("tender", n % 2 == 0 ? "cash" : "card");
          payment.put("amount", due);
          if (n % 2 != 0) {
            payment.put("payment_method", "pm_card_visa");
          }
          try {
            terminal(l, "POST", api + "/" + id + "/payments", payment);
          } catch (IOException refused) {
            if (!refused.getMessage().contains("answered 402")) {
              throw refused;
            }
            // Over the offline card limits (the demo has no card processor, so card payments
            // wait unsettled): take cash, as the edge's answer says.
            terminal(
                l, "POST", api + "/" + id + "/payments", Map.of("tender", "cash", "amount", due));
          }
          l.paymentsWritten().incrementAndGet();
          terminal(l, "POST", api + "/" + id + "/status", Map.of("status", "completed"));
          open.remove(id);
          stage.remove(id);
        }
        Thread.sleep(400);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        out.println("terminal of " + l.name() + ": " + e.getMessage());
      }
    }
  }

  private void runOutage(Location l, CountDownLatch stop) {
    try {
      if (stop.await(offlineAfter, java.util.concurrent.TimeUnit.SECONDS)) {
        return;
      }
      out.printf(
          "%n>>> %s loses its internet link for %d s; its terminals keep working%n%n",
          l.name(), offlineFor);
      l.link().cut();
      if (stop.await(offlineFor, java.util.concurrent.TimeUnit.SECONDS)) {
        return;
      }
      long pending = l.edge().status().pendingCount();
      out.printf("%n>>> %s is back online with %d ops queued%n%n", l.name(), pending);
      l.link().restore();
      l.edge().requestSync();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void printPanel(
      CloudServer cloud, String cloudUrl, String adminToken, List<Location> locations) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "SYNC STATUS   All Locations%63s",
            LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"))));
    lines.add(null);
    lines.add(
        String.format(
            "   %-12s %-8s %-11s %-8s %7s  %-17s %-17s %s",
            "LOCATION",
            "CLOUD",
            "LAST SYNC",
            "EDGE",
            "PENDING",
            "ORDERS edge/cloud",
            "PAYMENTS e/cloud",
            "CONFIG e/cloud"));
    for (Location l : locations) {
      String cloudStatus;
      String lastSync;
      try {
        JsonNode s = admin(cloudUrl, adminToken, "GET", "/api/v1/sync/status/" + l.id(), null);
        cloudStatus = s.path("status").asText("?");
        lastSync = ago(s.path("last_sync").isNull() ? null : s.path("last_sync").asText());
      } catch (Exception e) {
        cloudStatus = "unknown";
        lastSync = "-";
      }
      QueueStatus q = l.edge().status();
      String icon =
          switch (cloudStatus) {
            case "synced" -> "🟢";
            case "syncing" -> "🟡";
            default -> "🔴";
          };
      lines.add(
          String.format(
              "%s %-12s %-8s %-11s %-8s %7d  %7d / %-7d %7d / %-7d %3d / %d",
              icon,
              l.name(),
              cloudStatus,
              lastSync,
              l.link().isUp() ? q.status() : "OFFLINE",
              q.pendingCount(),
              l.ordersWritten().get(),
              countInCloud(cloud, l.id(), "orders"),
              l.paymentsWritten().get(),
              countInCloud(cloud, l.id(), "payments"),
              l.edge().config().version(),
              cloud.config().store().state(l.id(), TENANT).version()));
    }
    lines.add(null);
    lines.add(String.format("   %-12s %9s  %s", "IOT", "READINGS", "OPEN ALERTS"));
    for (Location l : locations) {
      var store = l.edge().iot().store();
      List<String> open = store.alertsJson(true, 50);
      String first = "none";
      if (!open.isEmpty()) {
        try {
          first = JSON.readTree(open.get(0)).path("message").asText();
        } catch (Exception e) {
          first = "?";
        }
      }
      lines.add(
          String.format(
              "%s %-12s %9d  %d%s",
              open.isEmpty() ? "🟢" : "🔴",
              l.name(),
              store.count(),
              open.size(),
              open.isEmpty() ? "" : ": " + abbreviate(first, 70)));
    }
    int width = 108;
    StringBuilder b = new StringBuilder();
    b.append('┌').append("─".repeat(width)).append("┐\n");
    for (String line : lines) {
      if (line == null) {
        b.append('├').append("─".repeat(width)).append("┤\n");
        continue;
      }
      // The status icons are one code point but two columns wide.
      int columns = line.codePointCount(0, line.length()) + (line.startsWith("   ") ? 0 : 1);
      if (line.startsWith("SYNC")) {
        columns = line.length();
      }
      b.append("│ ")
          .append(line)
          .append(" ".repeat(Math.max(0, width - 2 - columns)))
          .append(" │\n");
    }
    b.append('└').append("─".repeat(width)).append('┘');
    out.println(b);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static long countInCloud(CloudServer cloud, String location, String collection) {
    return cloud
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM records WHERE tenant_id = ? AND location_id = ?"
                            + " AND collection = ? AND deleted = 0")
                    .bind(0, TENANT)
                    .bind(1, location)
                    .bind(2, collection)
                    .mapTo(Long.class)
                    .one());
  }

  private static String ago(String instant) {
    if (instant == null || instant.isBlank()) {
      return "never";
    }
    long s = Duration.between(Instant.parse(instant), Instant.now()).toSeconds();
    return s < 120 ? s + " s ago" : (s / 60) + " min ago";
  }

  private JsonNode admin(String cloudUrl, String token, String method, String path, Object body)
      throws IOException, InterruptedException {
    return send(cloudUrl + path, token, method, body);
  }

  private void terminal(Location l, String method, String url, Object body)
      throws IOException, InterruptedException {
    send(url, l.terminalToken(), method, body);
  }

  private JsonNode send(String url, String token, String method, Object body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IOException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
  }
}
