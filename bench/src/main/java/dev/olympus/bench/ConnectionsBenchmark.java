package dev.olympus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many devices on one cloud instance (issue 3): opens {@code --devices} WebSockets to a cloud
 * process ({@code olympus.jar cloud}, started here), {@code --per-location} devices per location,
 * and reports the cloud's heap per connection (heap after a full GC with all connected, minus
 * before, divided by the connections) and the broadcast latency of a write to every device of one
 * location (from just before the write to the last of its devices receiving it).
 *
 * <p>Run: {@code ./olympus bench connections --devices 10000 --per-location 50}. Needs the packaged
 * jar ({@code demo/target/olympus.jar}) and {@code jcmd} of the running JDK. Target: ≤ 50 KB of
 * heap per connection.
 */
public final class ConnectionsBenchmark {
  private static final String ADMIN = "bench-admin";

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = DrainBenchmark.options(args);
    int devices = Integer.parseInt(opts.getOrDefault("devices", "10000"));
    int perLocation = Integer.parseInt(opts.getOrDefault("per-location", "50"));
    int writes = Integer.parseInt(opts.getOrDefault("writes", "200"));
    Path jar = Path.of(opts.getOrDefault("jar", "demo/target/olympus.jar"));
    Path dir = Files.createTempDirectory("olympus-connections-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder cloudCommand =
        new ProcessBuilder(
                java,
                "-Xmx2g",
                "-jar",
                jar.toString(),
                "cloud",
                "--port",
                String.valueOf(port),
                "--data-dir",
                dir.resolve("cloud").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("cloud.log").toFile());
    cloudCommand.environment().put("OLYMPUS_ADMIN_TOKEN", ADMIN);
    Process cloud = cloudCommand.start();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    AdminApi api = new AdminApi(http, base, ADMIN);
    try {
      waitHealthy(http, base);
      api.send("POST", "/api/v1/admin/tenants", Map.of("id", "t1", "name", "Bench"));
      int locations = (devices + perLocation - 1) / perLocation;
      String[][] tokens = new String[locations][perLocation];
      long regStart = System.nanoTime();
      for (int l = 0; l < locations; l++) {
        api.send(
            "POST",
            "/api/v1/admin/tenants/t1/locations",
            Map.of("id", "loc-" + l, "name", "Location " + l));
        for (int d = 0; d < perLocation && l * perLocation + d < devices; d++) {
          tokens[l][d] =
              api.send(
                      "POST",
                      "/api/v1/admin/tenants/t1/locations/loc-" + l + "/devices",
                      Map.of("device_id", "pos-" + l + "-" + d, "device_type", "pos_terminal"))
                  .get("token")
                  .asText();
        }
      }
      System.out.printf(
          Locale.ROOT,
          "registered %,d devices in %d locations in %.1f s%n",
          devices,
          locations,
          (System.nanoTime() - regStart) / 1e9);

      long heapBefore = heapAfterGc(cloud.pid());
      HttpClient wsClient = HttpClient.newHttpClient();
      List<WebSocket> sockets = new ArrayList<>(devices);
      List<Receiver> location0 = new ArrayList<>();
      long connStart = System.nanoTime();
      for (int l = 0; l < locations; l++) {
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int d = 0; d < perLocation && l * perLocation + d < devices; d++) {
          Receiver r = new Receiver();
          if (l == 0) {
            location0.add(r);
          }
          URI uri =
              URI.create(
                  "ws://127.0.0.1:"
                      + port
                      + "/ws/sync?device_id=pos-"
                      + l
                      + "-"
                      + d
                      + "&restaurant_id=loc-"
                      + l
                      + "&user_id=u"
                      + d);
          pending.add(
              wsClient
                  .newWebSocketBuilder()
                  .header("Authorization", "Bearer " + tokens[l][d])
                  .connectTimeout(Duration.ofSeconds(30))
                  .buildAsync(uri, r));
        }
        for (CompletableFuture<WebSocket> f : pending) {
          sockets.add(f.get(60, TimeUnit.SECONDS));
        }
        if ((l + 1) % 20 == 0) {
          System.out.printf("  %,d connected%n", sockets.size());
        }
      }
      System.out.printf(
          Locale.ROOT,
          "connected %,d WebSockets in %.1f s%n",
          sockets.size(),
          (System.nanoTime() - connStart) / 1e9);
      JsonNode health = api.send("GET", "/api/health", null);
      System.out.println("cloud health: " + health);
      Thread.sleep(2_000);
      long heapAfter = heapAfterGc(cloud.pid());
      System.out.printf(
          Locale.ROOT,
          "cloud heap after GC: %.1f MB idle, %.1f MB with %,d connections: %.1f KB per"
              + " connection%n",
          heapBefore / 1e6,
          heapAfter / 1e6,
          sockets.size(),
          (heapAfter - heapBefore) / 1024.0 / sockets.size());

      // Broadcast latency: device 0 of location 0 writes; all its location's devices receive.
      long[] latency = new long[writes];
      HttpClient writer = HttpClient.newHttpClient();
      for (int i = 0; i < writes; i++) {
        String id = String.format("bcast-%05d", i);
        CountDownLatch all = new CountDownLatch(location0.size());
        for (Receiver r : location0) {
          r.expect(id, all);
        }
        long t0 = System.nanoTime();
        HttpRequest put =
            HttpRequest.newBuilder(URI.create(base + "/api/v1/records/orders/" + id))
                .header("Authorization", "Bearer " + tokens[0][0])
                .PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"pending\"}"))
                .build();
        writer.send(put, HttpResponse.BodyHandlers.discarding());
        if (!all.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("write " + id + " did not reach every device in 10 s");
        }
        latency[i] = System.nanoTime() - t0;
        Thread.sleep(20);
      }
      Arrays.sort(latency);
      System.out.printf(
          Locale.ROOT,
          "broadcast to %d devices of a location, %d writes: p50 %.2f ms, p99 %.2f ms, max %.2f"
              + " ms%n",
          location0.size(),
          writes,
          latency[writes / 2] / 1e6,
          latency[(int) Math.ceil(writes * 0.99) - 1] / 1e6,
          latency[writes - 1] / 1e6);
      for (WebSocket s : sockets) {
        s.abort();
      }
    } finally {
      cloud.destroy();
      cloud.waitFor(30, TimeUnit.SECONDS);
      DrainBenchmark.deleteTree(dir);
    }
    System.exit(0);
  }

  /** Collects text frames; completes a latch when the frame naming the awaited id arrives. */
  static final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final AtomicReference<String> awaited = new AtomicReference<>();
    private volatile CountDownLatch latch;

    void expect(String id, CountDownLatch l) {
      latch = l;
      awaited.set(id);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        String id = awaited.get();
        if (id != null && frame.contains("\"" + id + "\"") && awaited.compareAndSet(id, null)) {
          latch.countDown();
        }
        if (frame.contains("\"heartbeat\"")) {
          ws.sendText("{\"type\":\"pong\"}", true);
        }
      }
      ws.request(1);
      return null;
    }
  }

  private static long heapAfterGc(long pid) throws IOException, InterruptedException {
    run("jcmd", String.valueOf(pid), "GC.run");
    Thread.sleep(500);
    String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
    // "garbage-first heap   total reserved 2097152K, committed 262144K, used 41235K"
    for (String line : info.split("\n")) {
      int i = line.indexOf(" used ");
      if (line.contains("heap") && i > 0) {
        String used = line.substring(i + 6).trim().split("[K ,]")[0];
        return Long.parseLong(used) * 1024;
      }
    }
    throw new IllegalStateException("cannot read the heap from jcmd:\n" + info);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    String jdk =
        ProcessHandle.current()
            .info()
            .command()
            .map(c -> Path.of(c).getParent())
            .map(Path::toString)
            .orElse("");
    command[0] = jdk.isEmpty() ? command[0] : jdk + "/" + command[0];
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  private static void waitHealthy(HttpClient http, String base) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the cloud did not start: see its log");
  }
}
