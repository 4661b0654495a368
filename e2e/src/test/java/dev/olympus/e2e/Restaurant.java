package dev.olympus.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A cloud and one restaurant's edge as real processes of the packaged jar: the fixture of the crash
 * tests. It knows what the restaurant wrote, so a test can check the cloud holds exactly that.
 */
final class Restaurant implements AutoCloseable {
  static final String ADMIN_TOKEN = "e2e-admin-token";
  static final String TENANT = "t1";
  static final String LOCATION = "loc-1";

  final Path dir;
  final int cloudPort;
  final int edgePort;
  String edgeToken;
  OlympusProcess cloud;
  OlympusProcess edge;
  int cloudStarts;
  int edgeStarts;

  /** Every record the restaurant wrote, as the cloud must end up holding it. */
  final Map<String, JsonNode> expected = new LinkedHashMap<>();

  Restaurant(Path dir) throws IOException {
    this.dir = dir;
    this.cloudPort = OlympusProcess.freePort();
    this.edgePort = OlympusProcess.freePort();
  }

  Api admin() {
    return new Api(cloudPort, ADMIN_TOKEN);
  }

  Api edgeLan() {
    return new Api(edgePort, edgeToken);
  }

  Api cloudAsEdge() {
    return new Api(cloudPort, edgeToken);
  }

  void startCloud() throws IOException {
    cloud =
        OlympusProcess.start(
            "cloud-" + ++cloudStarts,
            dir.resolve("logs"),
            Map.of("OLYMPUS_ADMIN_TOKEN", ADMIN_TOKEN),
            "cloud",
            "--port",
            String.valueOf(cloudPort),
            "--mqtt-port",
            "0",
            "--data-dir",
            dir.resolve("cloud").toString());
    Api api = admin();
    await("cloud " + cloud + " healthy")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(api::healthy);
  }

  void startEdge() throws IOException {
    edge =
        OlympusProcess.start(
            "edge-" + ++edgeStarts,
            dir.resolve("logs"),
            Map.of(),
            "edge",
            "start",
            "--data-dir",
            dir.resolve("edge").toString(),
            "--port",
            String.valueOf(edgePort),
            "--mqtt-port",
            "0");
    Api api = edgeLan();
    await("edge " + edge + " healthy")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(api::healthy);
  }

  /**
   * Tenant, location, edge device, a small batch size (so a drain takes many pushes), edge config.
   */
  void register(int batchSize) throws Exception {
    registerLocation(batchSize);
    edgeToken = registerDevice("edge-1", "olympus_edge");

    // One setting per command, as the README tells an operator to do it.
    configureEdge("--location-id", LOCATION);
    configureEdge("--device-id", "edge-1");
    configureEdge("--api-key", edgeToken);
    configureEdge("--cloud-url", "http://127.0.0.1:" + cloudPort);
  }

  /** {@code olympus edge config set --data-dir EDGE OPTION VALUE}, as a process. */
  private void configureEdge(String option, String value) throws Exception {
    OlympusProcess.run(
        dir.resolve("logs"),
        Map.of(),
        "edge",
        "config",
        "set",
        "--data-dir",
        dir.resolve("edge").toString(),
        option,
        value);
  }

  /** The tenant and the location, with a small batch size and a 1 s sync interval; no edge. */
  void registerLocation(int batchSize) throws Exception {
    Api admin = admin();
    admin.expect(
        201, "POST", "/api/v1/admin/tenants", Map.of("id", TENANT, "name", "Olympus Burgers"));
    admin.expect(
        201,
        "POST",
        "/api/v1/admin/tenants/" + TENANT + "/locations",
        Map.of("id", LOCATION, "name", "Downtown SF"));
    JsonNode config =
        admin.expect(200, "GET", "/api/v1/admin/tenants/" + TENANT + "/sync-config", null);
    ObjectNode syncConfig = (ObjectNode) config.get("sync_config");
    syncConfig.put("batch_size", batchSize);
    syncConfig.put("interval_seconds", 1);
    admin.expect(200, "PUT", "/api/v1/admin/tenants/" + TENANT + "/sync-config", config);
  }

  /** Registers a device of the location through the admin API and returns its token. */
  String registerDevice(String deviceId, String deviceType) throws Exception {
    return admin()
        .expect(
            201,
            "POST",
            "/api/v1/admin/tenants/" + TENANT + "/locations/" + LOCATION + "/devices",
            Map.of("device_id", deviceId, "device_type", deviceType))
        .get("token")
        .asText();
  }

  String cloudUrl() {
    return "http://127.0.0.1:" + cloudPort;
  }

  String edgeUrl() {
    return "http://127.0.0.1:" + edgePort;
  }

  /**
   * Writes a backlog through the edge's LAN API: orders, then a status change of some of them, then
   * payments. Four terminals write at once; each owns its own orders.
   */
  void writeBacklog(int orders, int statusChanges, int payments) throws Exception {
    ExecutorService terminals = Executors.newFixedThreadPool(4);
    try {
      List<Future<Map<String, JsonNode>>> written = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int terminal = t;
        written.add(
            terminals.submit(() -> writeAs(terminal, orders / 4, statusChanges / 4, payments / 4)));
      }
      for (Future<Map<String, JsonNode>> f : written) {
        expected.putAll(f.get());
      }
    } finally {
      terminals.shutdown();
    }
  }

  private Map<String, JsonNode> writeAs(int terminal, int orders, int statusChanges, int payments)
      throws IOException, InterruptedException {
    Api lan = edgeLan();
    Map<String, JsonNode> mine = new HashMap<>();
    for (int i = 0; i < orders; i++) {
      String id = String.format("ord-%d-%05d", terminal, i);
      ObjectNode order = Orders.order(id, terminal, i);
      lan.expect(201, "PUT", "/api/v1/records/orders/" + id, order);
      mine.put("orders/" + id, order);
    }
    for (int i = 0; i < statusChanges; i++) {
      String id = String.format("ord-%d-%05d", terminal, i);
      lan.expect(200, "PATCH", "/api/v1/records/orders/" + id, Map.of("status", "confirmed"));
      ((ObjectNode) mine.get("orders/" + id)).put("status", "confirmed");
    }
    for (int i = 0; i < payments; i++) {
      String id = String.format("pay-%d-%05d", terminal, i);
      ObjectNode payment = Orders.payment(id, String.format("ord-%d-%05d", terminal, i));
      lan.expect(201, "PUT", "/api/v1/records/payments/" + id, payment);
      mine.put("payments/" + id, payment);
    }
    return mine;
  }

  /** Ops queued by {@link #topUpBacklog} on top of the first backlog. */
  int extraOps;

  /**
   * Keeps a drain going: when fewer than {@code minimum} ops are queued on the edge, a terminal
   * queues 500 more orders.
   */
  void topUpBacklog(int minimum) throws IOException, InterruptedException {
    if (pendingOnEdge() >= minimum) {
      return;
    }
    Api lan = edgeLan();
    for (int i = 0; i < 500; i++) {
      String id = String.format("ord-x-%06d", extraOps);
      ObjectNode order = Orders.order(id, 9, extraOps);
      lan.expect(201, "PUT", "/api/v1/records/orders/" + id, order);
      expected.put("orders/" + id, order);
      extraOps++;
    }
  }

  /** The edge's queued ops, from its LAN status endpoint. */
  long pendingOnEdge() throws IOException, InterruptedException {
    return edgeLan().expect(200, "GET", "/api/v1/sync/status", null).get("pending_count").asLong();
  }

  /**
   * What the cloud's change feed holds for this location: records by "collection/id", and the max
   * seq.
   */
  record CloudState(Map<String, JsonNode> records, long maxSeq, int changes) {}

  CloudState cloudState() throws IOException, InterruptedException {
    return cloudState(cloudAsEdge());
  }

  /** The same, pulled with {@code api}'s device token (any device of the location). */
  CloudState cloudState(Api api) throws IOException, InterruptedException {
    Map<String, JsonNode> records = new HashMap<>();
    long since = 0;
    long maxSeq = 0;
    int changes = 0;
    while (true) {
      JsonNode page =
          api.expect(200, "GET", "/api/v1/sync/pull?since=" + since + "&limit=5000", null);
      for (JsonNode change : page.get("changes")) {
        changes++;
        maxSeq = Math.max(maxSeq, change.get("seq").asLong());
        JsonNode record = change.get("record");
        String collection = record.get("collection").asText();
        if (!collection.startsWith("_") && !record.get("deleted").asBoolean()) {
          records.put(collection + "/" + record.get("id").asText(), record.get("data"));
        }
      }
      since = page.get("next_since").asLong();
      if (!page.get("has_more").asBoolean()) {
        return new CloudState(records, maxSeq, changes);
      }
    }
  }

  @Override
  public void close() throws Exception {
    if (edge != null) {
      edge.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }
}
