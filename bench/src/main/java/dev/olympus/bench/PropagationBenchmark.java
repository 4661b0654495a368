package dev.olympus.bench;

import dev.olympus.client.ConnectionState;
import dev.olympus.client.OlympusClient;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Propagation latency from device A to device B of one restaurant (issue 3): A writes an order
 * through the records API at a fixed rate, open loop, over keep-alive connections ({@link
 * HttpPutLoad}); B is an SDK client ({@link OlympusClient}) on a WebSocket; the latency of a write
 * is from its intended send time to the moment B's listener sees it, so a server that falls behind
 * shows as latency. Through the edge (A and B both talk to the edge on loopback) or through the
 * cloud (both talk to the cloud). Everything runs in this JVM, so one clock measures both ends.
 * First a warm-up at a quarter of the rate (JIT), not counted.
 *
 * <p>Run: {@code ./olympus bench propagation --via edge --rate 200 --seconds 20} (or {@code --via
 * cloud}, {@code --rate 2000}; {@code --warmup 30} seconds, {@code --connections 8}). Reference
 * (PouchDB live sync through a CouchDB-protocol server, same machine): p50 289 ms, p99 443 ms at
 * 200 writes/s. Target: p99 ≤ 10 ms at 200/s, ≤ 50 ms at 2,000/s.
 */
public final class PropagationBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = DrainBenchmark.options(args);
    String via = opts.getOrDefault("via", "edge");
    int rate = Integer.parseInt(opts.getOrDefault("rate", "200"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "30"));
    int connections = Integer.parseInt(opts.getOrDefault("connections", "8"));
    AtomicInteger failed = new AtomicInteger();
    if (!via.equals("edge") && !via.equals("cloud")) {
      throw new IllegalArgumentException("--via must be edge or cloud, was " + via);
    }
    Path dir = Files.createTempDirectory("olympus-propagation-");
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8))
            .build();
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

        // Warm-up at a quarter of the rate (the JIT compiles cloud, edge and client in this one
        // JVM for tens of seconds; at the full rate that would pile up a backlog the measured
        // writes then wait behind), then the measured writes at the full rate.
        int warmupRate = Math.max(50, rate / 4);
        int skip = warmupRate * warmup;
        int total = skip + rate * seconds;
        long[] sentAt = new long[total];
        long[] latency = new long[total];
        long[] answeredIn = new long[total];
        Arrays.fill(latency, -1);
        CountDownLatch warmedUp = new CountDownLatch(skip);
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
              int i = Integer.parseInt(c.id(), 4, c.id().length(), 10);
              if (latency[i] < 0) {
                latency[i] = System.nanoTime() - sentAt[i];
                all.countDown();
                if (i < skip) {
                  warmedUp.countDown();
                }
              }
            });
        b.start();
        if (!connected.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("client B did not connect to " + target);
        }

        URI base = URI.create(target);
        IntFunction<HttpPutLoad.Put> write =
            i ->
                new HttpPutLoad.Put(
                    String.format("/api/v1/records/orders/ord-%07d", i),
                    tokenA,
                    "{\"status\":\"pending\",\"order_number\":"
                        + i
                        + ",\"items\":[{\"menu_item_id\":\"burger\",\"quantity\":1}]}");
        boolean done;
        try (HttpPutLoad a =
            new HttpPutLoad(
                base.getHost(),
                base.getPort(),
                connections,
                (i, status) -> {
                  answeredIn[i] = System.nanoTime() - sentAt[i];
                  if (status < 200 || status >= 300) {
                    if (status >= 0 && failed.incrementAndGet() <= 3) {
                      System.out.println("write failed: HTTP " + status);
                    }
                    if (latency[i] < 0) {
                      latency[i] = -2; // failed: counted, never seen
                      all.countDown();
                      if (i < skip) {
                        warmedUp.countDown();
                      }
                    }
                  }
                })) {
          a.run(0, skip, warmupRate, sentAt, write);
          if (!warmedUp.await(60, TimeUnit.SECONDS)) {
            System.out.println("warning: the warm-up writes did not all arrive within 60 s");
          }
          Thread.sleep(1_000);
          a.run(skip, total, rate, sentAt, write);
          done = all.await(seconds + 60, TimeUnit.SECONDS);
          failed.addAndGet(a.failed.get());
        }
        b.close();

        long[] measured =
            Arrays.stream(latency, skip, total).filter(l -> l >= 0).sorted().toArray();
        int missing = (total - skip) - measured.length;
        System.out.printf(
            Locale.ROOT,
            "propagation via %s at %d writes/s for %d s (after %d s warm-up at %d/s): %d writes,"
                + " %d failed, %d not seen%s%n",
            via,
            rate,
            seconds,
            warmup,
            warmupRate,
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
        long[] answers =
            Arrays.stream(answeredIn, skip, total).filter(l -> l > 0).sorted().toArray();
        System.out.printf(
            Locale.ROOT,
            "device A's write answered in ms: p50 %.2f  p95 %.2f  p99 %.2f%n",
            pct(answers, 0.50),
            pct(answers, 0.95),
            pct(answers, 0.99));
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
