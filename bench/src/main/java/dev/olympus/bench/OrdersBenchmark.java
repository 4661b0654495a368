package dev.olympus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.config.SyncKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.slf4j.LoggerFactory;

/**
 * An order and its payment on the edge's LAN at a fixed rate (issue 5): each iteration is a {@code
 * POST /api/v1/orders} (2–3 items, one with a modifier, {@link OrderMix}) followed, once it is
 * answered, by a {@code POST /api/v1/orders/{id}/payments} in cash for the order's total. Orders
 * are due on a fixed schedule ({@link OpenLoop}) and go to {@code --terminals} terminals in turn,
 * each a keep-alive connection ({@link LanConnection}); an order due while its terminal is busy
 * waits, and its latency runs from its due time to the payment's answer. A pair fails when either
 * answer is not 201 or the payment leaves a balance.
 *
 * <p>Cloud and edge run in this JVM, the edge's background sync on (it pushes the orders to the
 * cloud while it takes them, as in a restaurant; {@code --sync off} leaves it out, to see its share
 * of the latency); the menu ({@link MenuSeed}, {@code --menu-items} items) is seeded into the
 * cloud's config store and reaches the edge by a full config sync before the clock starts. First
 * {@code --warmup-orders} orders as fast as the terminals get answers, then {@code --warmup}
 * seconds at the rate; neither is counted.
 *
 * <p>Run: {@code ./olympus bench orders --rate 50 --seconds 20 [--warmup-orders 20000] [--warmup 5]
 * [--terminals 8] [--menu-items 100] [--sync on]}. Target: p99 ≤ 5 ms at 50 orders/s.
 */
public final class OrdersBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = DrainBenchmark.options(args);
    int rate = Integer.parseInt(opts.getOrDefault("rate", "50"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "5"));
    int warmupOrders = Integer.parseInt(opts.getOrDefault("warmup-orders", "20000"));
    int terminalCount = Integer.parseInt(opts.getOrDefault("terminals", "8"));
    int menuItems = Integer.parseInt(opts.getOrDefault("menu-items", "100"));
    String sync = opts.getOrDefault("sync", "on");
    if (!sync.equals("on") && !sync.equals("off")) {
      throw new IllegalArgumentException("--sync must be on or off, was " + sync);
    }
    if (rate < 1 || seconds < 1 || terminalCount < 1 || warmup < 0 || warmupOrders < 0) {
      throw new IllegalArgumentException(
          "--rate, --seconds and --terminals must be at least 1, --warmup and --warmup-orders at"
              + " least 0; were "
              + rate
              + ", "
              + seconds
              + ", "
              + terminalCount
              + ", "
              + warmup
              + " and "
              + warmupOrders);
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
        List<LanConnection> terminals = new ArrayList<>();
        for (int t = 0; t < terminalCount; t++) {
          terminals.add(new LanConnection("127.0.0.1", edge.port(), posToken));
        }
        warmUp(terminals, mix, warmupOrders);
        if (sync.equals("on")) {
          awaitOutboxEmpty(edge);
        }

        int total = rate * (seconds + warmup);
        long[] intendedAt = new long[total];
        long[] created = new long[total];
        long[] latency = new long[total];
        Arrays.fill(latency, -1);
        AtomicInteger failed = new AtomicInteger();
        List<LinkedBlockingQueue<Integer>> queues = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (LanConnection terminal : terminals) {
          LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
          queues.add(queue);
          threads.add(
              Thread.ofPlatform()
                  .name("terminal")
                  .start(
                      () -> {
                        int i;
                        while ((i = take(queue)) >= 0) {
                          Pair pair = createAndPay(terminal, mix.next());
                          if (pair.problem() == null) {
                            created[i] = pair.createdAt() - intendedAt[i];
                            latency[i] = pair.paidAt() - intendedAt[i];
                          } else if (failed.incrementAndGet() <= 3) {
                            System.out.println("order " + i + " failed: " + pair.problem());
                          }
                        }
                      }));
        }
        // Open loop: an order waits in its terminal's queue when that terminal is still busy.
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
          intendedAt[i] = OpenLoop.awaitDue(start, i, rate);
          queues.get(i % queues.size()).add(i);
        }
        queues.forEach(q -> q.add(-1));
        for (Thread t : threads) {
          t.join();
        }
        terminals.forEach(LanConnection::close);

        int skip = rate * warmup;
        long[] pairs = Arrays.stream(latency, skip, total).filter(l -> l >= 0).sorted().toArray();
        long[] creates =
            IntStream.range(skip, total)
                .filter(i -> latency[i] >= 0)
                .mapToLong(i -> created[i])
                .sorted()
                .toArray();
        long[] payments =
            IntStream.range(skip, total)
                .filter(i -> latency[i] >= 0)
                .mapToLong(i -> latency[i] - created[i])
                .sorted()
                .toArray();
        System.out.printf(
            Locale.ROOT,
            "orders + cash payments at %d orders/s for %d s (after %d warm-up orders and %d s at"
                + " the rate), %d terminals, menu of %d items, edge sync %s: %d orders, %d"
                + " failed%n",
            rate,
            seconds,
            warmupOrders,
            warmup,
            terminalCount,
            menuItems,
            sync,
            total - skip,
            failed.get());
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

  /** When a pair's create and payment were answered, or why it failed. */
  private record Pair(long createdAt, long paidAt, String problem) {
    static Pair failed(String problem) {
      return new Pair(0, 0, problem);
    }
  }

  /** Creates an order on {@code terminal}, then pays its total in cash. */
  private static Pair createAndPay(LanConnection terminal, String order) {
    try {
      Http1Wire.Response create = terminal.post("/api/v1/orders", order);
      long createdAt = System.nanoTime();
      JsonNode opened = LanTerminal.created(create, "POST /api/v1/orders");
      Http1Wire.Response pay =
          terminal.post(
              "/api/v1/orders/" + opened.get("id").asText() + "/payments",
              LanTerminal.payment("cash", opened.get("total").asText()));
      long paidAt = System.nanoTime();
      JsonNode paid = LanTerminal.created(pay, "POST …/payments");
      String due = paid.path("order").path("balance_due").asText();
      if (!due.equals("0.00")) {
        return Pair.failed("the payment left " + due + " due");
      }
      return new Pair(createdAt, paidAt, null);
    } catch (IOException | RuntimeException e) {
      return Pair.failed(e.toString());
    }
  }

  /**
   * Orders as fast as the terminals get answers, uncounted: an edge runs for days, and at 50 orders
   * a second the JIT takes minutes to compile the paths a request takes (C2 compiles a method after
   * thousands of calls, and each order calls most of them once), so a short warm-up at the measured
   * rate measures the compiler.
   */
  private static void warmUp(List<LanConnection> terminals, OrderMix mix, int orders)
      throws InterruptedException {
    if (orders == 0) {
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (LanConnection terminal : terminals) {
      threads.add(
          Thread.ofPlatform()
              .name("warm-up")
              .start(
                  () -> {
                    int i;
                    while ((i = next.getAndIncrement()) < orders) {
                      Pair pair = createAndPay(terminal, mix.next());
                      if (pair.problem() != null && failed.incrementAndGet() <= 3) {
                        System.out.println("warm-up order failed: " + pair.problem());
                      }
                      if ((i + 1) % 5_000 == 0) {
                        System.out.printf(
                            Locale.ROOT,
                            "warm-up: %,d of %,d orders (%.0f s)%n",
                            i + 1,
                            orders,
                            (System.nanoTime() - start) / 1e9);
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** Lets the edge push the warm-up's orders, so the measured orders do not queue behind them. */
  private static void awaitOutboxEmpty(EdgeServer edge) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (edge.status().pendingCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  private static int take(LinkedBlockingQueue<Integer> queue) {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
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
