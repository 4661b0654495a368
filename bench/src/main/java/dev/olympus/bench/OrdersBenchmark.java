package dev.olympus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.config.SyncKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.slf4j.LoggerFactory;

/**
 * An order and its payment on the edge's LAN at a fixed rate (issue 5): each iteration is a {@code
 * POST /api/v1/orders} (2–3 items, one with a modifier, {@link OrderMix}) followed, once it is
 * answered, by a {@code POST /api/v1/orders/{id}/payments} in cash for the order's total; its
 * latency runs from just before the create is sent to the payment's answer. Iterations start on a
 * fixed schedule whether or not the previous ones were answered (asynchronous HTTP, so a slow
 * answer does not lower the rate). A pair fails when either answer is not 201 or the payment leaves
 * a balance.
 *
 * <p>Cloud and edge run in this JVM, the edge's background sync on (it pushes the orders to the
 * cloud while it takes them, as in a restaurant; {@code --sync off} leaves it out, to see its share
 * of the latency); the menu ({@link MenuSeed}, {@code --menu-items} items) is seeded into the
 * cloud's config store and reaches the edge by a full config sync before the clock starts. The
 * first {@code --warmup} seconds are not counted.
 *
 * <p>Run: {@code ./olympus bench orders --rate 50 --seconds 20 [--warmup 5] [--menu-items 100]
 * [--sync on]}. Target: p99 ≤ 5 ms at 50 orders/s.
 */
public final class OrdersBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = DrainBenchmark.options(args);
    int rate = Integer.parseInt(opts.getOrDefault("rate", "50"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "5"));
    int menuItems = Integer.parseInt(opts.getOrDefault("menu-items", "100"));
    String sync = opts.getOrDefault("sync", "on");
    if (!sync.equals("on") && !sync.equals("off")) {
      throw new IllegalArgumentException("--sync must be on or off, was " + sync);
    }
    if (rate < 1 || seconds < 1 || warmup < 0) {
      throw new IllegalArgumentException(
          "--rate and --seconds must be at least 1 and --warmup at least 0, were "
              + rate
              + ", "
              + seconds
              + " and "
              + warmup);
    }
    // A line per sync cycle or config sync is right for an edge, noise next to the figures.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.olympus"))
        .setLevel(ch.qos.logback.classic.Level.WARN);

    Path dir = Files.createTempDirectory("olympus-orders-");
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
      api.send("POST", "/api/v1/admin/tenants", Map.of("id", "t1", "name", "Bench Burgers"));
      api.send(
          "POST", "/api/v1/admin/tenants/t1/locations", Map.of("id", "loc-1", "name", "Bench"));
      String edgeToken = api.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      String posToken = api.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
      List<String> employees = MenuSeed.seed(cloud.config().store(), menuItems, 10);

      try (EdgeServer edge =
          EdgeServer.start(
              EdgeSettings.of(dir.resolve("edge"), URI.create(cloudUrl), edgeToken, "loc-1")
                  .withDeviceId("edge-1")
                  .withHost("127.0.0.1")
                  .withPort(0)
                  .withBackgroundSync(sync.equals("on")))) {
        edge.syncNow(); // the edge learns the terminal's token
        edge.configSyncer().syncNow(SyncKind.FULL);
        LanTerminal pos = new LanTerminal(http, "http://127.0.0.1:" + edge.port(), posToken);
        OrderMix mix = new OrderMix(pos.get("/api/v1/menu"), employees, 42);

        int total = rate * (seconds + warmup);
        long[] sentAt = new long[total];
        long[] created = new long[total];
        long[] latency = new long[total];
        Arrays.fill(latency, -1);
        CountDownLatch all = new CountDownLatch(total);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        pacer.scheduleAtFixedRate(
            () -> {
              int i = next.getAndIncrement();
              if (i >= total) {
                return;
              }
              String body = mix.next();
              sentAt[i] = System.nanoTime();
              pos.post("/api/v1/orders", body)
                  .thenCompose(
                      r -> {
                        created[i] = System.nanoTime();
                        JsonNode order = LanTerminal.created(r, "POST /api/v1/orders");
                        return pos.post(
                            "/api/v1/orders/" + order.get("id").asText() + "/payments",
                            LanTerminal.payment("cash", order.get("total").asText()));
                      })
                  .whenComplete(
                      (r, e) -> {
                        long now = System.nanoTime();
                        String problem = null;
                        if (e != null) {
                          problem = e.getCause() != null ? e.getCause().toString() : e.toString();
                        } else {
                          try {
                            JsonNode paid = LanTerminal.created(r, "POST …/payments");
                            String due = paid.path("order").path("balance_due").asText();
                            if (!due.equals("0.00")) {
                              problem = "the payment left " + due + " due";
                            }
                          } catch (RuntimeException bad) {
                            problem = bad.getMessage();
                          }
                        }
                        if (problem == null) {
                          latency[i] = now - sentAt[i];
                        } else if (failed.incrementAndGet() <= 3) {
                          System.out.println("order " + i + " failed: " + problem);
                        }
                        all.countDown();
                      });
            },
            0,
            1_000_000_000L / rate,
            TimeUnit.NANOSECONDS);
        boolean done = all.await(seconds + warmup + 60, TimeUnit.SECONDS);
        pacer.shutdownNow();

        int skip = rate * warmup;
        long[] pairs = Arrays.stream(latency, skip, total).filter(l -> l >= 0).sorted().toArray();
        long[] creates =
            IntStream.range(skip, total)
                .filter(i -> latency[i] >= 0)
                .mapToLong(i -> created[i] - sentAt[i])
                .sorted()
                .toArray();
        long[] payments =
            IntStream.range(skip, total)
                .filter(i -> latency[i] >= 0)
                .mapToLong(i -> latency[i] - (created[i] - sentAt[i]))
                .sorted()
                .toArray();
        System.out.printf(
            Locale.ROOT,
            "orders + cash payments at %d orders/s for %d s (after %d s warm-up), menu of %d"
                + " items, edge sync %s: %d orders, %d failed%s%n",
            rate,
            seconds,
            warmup,
            menuItems,
            sync,
            total - skip,
            failed.get(),
            done ? "" : " (timed out)");
        print("create + pay", pairs);
        print("  create", creates);
        print("  pay", payments);
        System.out.printf(
            Locale.ROOT,
            "edge outbox after the run: %d ops waiting for the cloud%n",
            edge.status().pendingCount());
      }
    } finally {
      DrainBenchmark.deleteTree(dir);
    }
    System.exit(0);
  }

  private static void print(String what, long[] sorted) {
    System.out.printf(
        Locale.ROOT,
        "%s latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n",
        what,
        pct(sorted, 0.50),
        pct(sorted, 0.95),
        pct(sorted, 0.99),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
  }

  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
