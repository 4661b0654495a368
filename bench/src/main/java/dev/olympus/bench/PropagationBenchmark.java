package dev.olympus.bench;

import dev.olympus.client.ConnectionState;
import dev.olympus.client.OlympusClient;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Propagation latency from device A to device B of one restaurant (issue 3): A writes an order
 * through the records API at a fixed rate; B is an SDK client ({@link OlympusClient}) on a
 * WebSocket; the latency of a write is from just before A sends it to the moment B's listener sees
 * it. Through the edge (A and B both talk to the edge on loopback) or through the cloud (both talk
 * to the cloud). Everything runs in this JVM, so one clock measures both ends.
 *
 * <p>Run: {@code ./olympus bench propagation --via edge --rate 200 --seconds 10} (or {@code --via
 * cloud}, {@code --rate 2000}). Reference (PouchDB live sync through a CouchDB-protocol server,
 * same machine): p50 289 ms, p99 443 ms at 200 writes/s. Target: p99 ≤ 10 ms at 200/s, ≤ 50 ms at
 * 2,000/s.
 */
public final class PropagationBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = DrainBenchmark.options(args);
    String via = opts.getOrDefault("via", "edge");
    int rate = Integer.parseInt(opts.getOrDefault("rate", "200"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "2"));
    if (!via.equals("edge") && !via.equals("cloud")) {
      throw new IllegalArgumentException("--via must be edge or cloud, was " + via);
    }
    Path dir = Files.createTempDirectory("olympus-propagation-");
    HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
    try (CloudServer cloud =
        CloudServer.start(
            CloudSettings.defaults(dir.resolve("cloud"))
                .withHost("127.0.0.1")
                .withAdminToken("bench"))) {
      String cloudUrl = "http://127.0.0.1:" + cloud.port();
      AdminApi api = new AdminApi(http, cloudUrl, "bench");
      api.send("POST", "/api/v1/admin/tenants", Map.of("id", "t1", "name", "B"));
      api.send(
          "POST", "/api/v1/admin/tenants/t1/locations", Map.of("id", "loc-1", "name", "Bench"));
      String edgeToken = api.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      String tokenA = api.registerDevice("t1", "loc-1", "pos-a", "pos_terminal");
      String tokenB = api.registerDevice("t1", "loc-1", "pos-b", "pos_terminal");
      try (EdgeServer edge =
          EdgeServer.start(
              EdgeSettings.of(dir.resolve("edge"), URI.create(cloudUrl), edgeToken, "loc-1")
                  .withDeviceId("edge-1")
                  .withHost("127.0.0.1")
                  .withPort(0))) {
        edge.syncNow(); // the edge learns the terminals' tokens
        String target = via.equals("edge") ? "http://127.0.0.1:" + edge.port() : cloudUrl;

        int total = rate * (seconds + warmup);
        long[] sentAt = new long[total];
        long[] latency = new long[total];
        Arrays.fill(latency, -1);
        Map<String, Integer> index = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(total);
        CountDownLatch connected = new CountDownLatch(1);
        OlympusClient b =
            OlympusClient.builder()
                .endpoints(target)
                .deviceToken(tokenB)
                .deviceId("pos-b")
                .restaurantId("loc-1")
                .userId("bench")
                .stateDirectory(dir.resolve("client-b"))
                .build();
        b.onConnectionChange(
            s -> {
              if (s.state() == ConnectionState.CONNECTED) {
                connected.countDown();
              }
            });
        b.orderUpdates(
            c -> {
              Integer i = index.get(c.id());
              if (i != null && latency[i] < 0) {
                latency[i] = System.nanoTime() - sentAt[i];
                all.countDown();
              }
            });
        b.start();
        if (!connected.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("client B did not connect to " + target);
        }

        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long periodNanos = 1_000_000_000L / rate;
        pacer.scheduleAtFixedRate(
            () -> {
              int i = next.getAndIncrement();
              if (i >= total) {
                return;
              }
              String id = String.format("ord-%07d", i);
              index.put(id, i);
              String body =
                  "{\"status\":\"pending\",\"order_number\":"
                      + i
                      + ",\"items\":[{\"menu_item_id\":\"burger\",\"quantity\":1}]}";
              HttpRequest req =
                  HttpRequest.newBuilder(URI.create(target + "/api/v1/records/orders/" + id))
                      .header("Authorization", "Bearer " + tokenA)
                      .header("Content-Type", "application/json")
                      .PUT(HttpRequest.BodyPublishers.ofString(body))
                      .build();
              sentAt[i] = System.nanoTime();
              http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                  .whenComplete(
                      (r, e) -> {
                        if (e != null || r.statusCode() >= 300) {
                          if (failed.incrementAndGet() <= 3) {
                            System.out.println(
                                "write failed: "
                                    + (e != null ? e.toString() : "HTTP " + r.statusCode()));
                          }
                          all.countDown();
                        }
                      });
            },
            0,
            periodNanos,
            TimeUnit.NANOSECONDS);
        boolean done = all.await(seconds + warmup + 60, TimeUnit.SECONDS);
        pacer.shutdownNow();
        b.close();

        int skip = rate * warmup;
        long[] measured =
            Arrays.stream(latency, skip, total).filter(l -> l >= 0).sorted().toArray();
        int missing = (total - skip) - measured.length;
        System.out.printf(
            Locale.ROOT,
            "propagation via %s at %d writes/s for %d s (after %d s warm-up): %d writes,"
                + " %d failed, %d not seen%s%n",
            via,
            rate,
            seconds,
            warmup,
            total - skip,
            failed.get(),
            missing,
            done ? "" : " (timed out)");
        System.out.printf(
            Locale.ROOT,
            "latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n",
            pct(measured, 0.50),
            pct(measured, 0.95),
            pct(measured, 0.99),
            measured.length == 0 ? 0 : measured[measured.length - 1] / 1e6);
      }
    } finally {
      DrainBenchmark.deleteTree(dir);
    }
    System.exit(0);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
