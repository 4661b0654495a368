package dev.olympus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.core.orders.Money;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.config.SyncKind;
import dev.olympus.edge.payments.PaymentSettings;
import dev.olympus.web.link.TcpProxy;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * A business day offline, then the link comes back (issue 5): how long until the cloud holds the
 * day's payments, and everything.
 *
 * <p>Workload: cloud and edge in this JVM, the edge reaching the cloud through a {@link TcpProxy}
 * that stands in for the restaurant's internet link, background sync on. Each run cuts the link,
 * then {@code --terminals} POS terminals take {@code --orders} orders on the edge's LAN ({@link
 * OrderMix}), each paid in full right after it is created: every other one by card when its total
 * is within the offline floor limit (50.00; the outage limit is raised so a day of cards fits),
 * else in cash; meanwhile {@code --punches} time punches (clock-in and clock-out, each checked
 * against the employee's bcrypt PIN) come in. The link stays cut at least {@code --offline-seconds}
 * (0: as long as taking the orders takes); the edge's retries back off meanwhile, as in a real
 * outage. Then the link is restored and the clock starts; the cloud's store is polled every 10 ms
 * until it holds every payment of the run, and until it holds everything (every order at its paid
 * state, every payment and punch). Also shown: when the first payment arrived, which tells the
 * edge's wait to retry (its backoff, grown during the outage) from the drain that follows.
 *
 * <p>One cloud and edge serve a warm-up outage of {@code --warmup} orders (not counted) and then
 * {@code --runs} outages; the medians are the figures.
 *
 * <p>Run: {@code ./olympus bench reconnect --orders 2000 [--runs 3] [--punches 40] [--terminals 4]
 * [--offline-seconds 0] [--warmup 200] [--menu-items 100]}. Targets: payments ≤ 2 s, everything ≤
 * 10 s after the link is back.
 */
public final class ReconnectBenchmark {
  private static final BigDecimal FLOOR_LIMIT =
      BigDecimal.valueOf(PaymentSettings.DEFAULT_FLOOR_LIMIT_MINOR, 2);

  /** Unsettled card payments may add up to 10 million: no Stripe key here, none ever settles. */
  private static final long OUTAGE_LIMIT_MINOR = 1_000_000_000L;

  private static final String POLL =
      "SELECT (SELECT count(*) FROM records WHERE tenant_id = 't1' AND collection = 'payments'),"
          + " (SELECT count(*) FROM records WHERE tenant_id = 't1' AND collection = 'orders'"
          + " AND json_extract(data, '$.balance_due') = '0.00'),"
          + " (SELECT count(*) FROM records WHERE tenant_id = 't1'"
          + " AND collection = 'time_punches')";

  /** What the cloud holds: payments, orders paid in full, time punches. */
  private record Held(long payments, long paidOrders, long punches) {
    boolean covers(Held target) {
      return payments >= target.payments
          && paidOrders >= target.paidOrders
          && punches >= target.punches;
    }
  }

  /**
   * One outage, in seconds after the link came back: until the cloud holds the first payment of the
   * outage (the edge's wait to retry), all of them, and everything.
   */
  private record Outcome(double firstPayment, double payments, double everything) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = DrainBenchmark.options(args);
    int orders = Integer.parseInt(opts.getOrDefault("orders", "2000"));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "3"));
    int punches = Integer.parseInt(opts.getOrDefault("punches", "40"));
    int terminals = Integer.parseInt(opts.getOrDefault("terminals", "4"));
    int offlineSeconds = Integer.parseInt(opts.getOrDefault("offline-seconds", "0"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "200"));
    int menuItems = Integer.parseInt(opts.getOrDefault("menu-items", "100"));
    if (orders < 1 || runs < 1 || punches < 0 || terminals < 1 || offlineSeconds < 0) {
      throw new IllegalArgumentException(
          "--orders, --runs and --terminals must be at least 1, --punches and --offline-seconds at"
              + " least 0");
    }
    // The edge logs each queued card payment and each outage; the figures are what matters here.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.olympus"))
        .setLevel(ch.qos.logback.classic.Level.ERROR);

    Path dir = Files.createTempDirectory("olympus-reconnect-");
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(terminals + 2))
            .build();
    try (CloudServer cloud =
            CloudServer.start(
                CloudSettings.defaults(dir.resolve("cloud"))
                    .withHost("127.0.0.1")
                    .withAdminToken("bench"));
        TcpProxy link = new TcpProxy("bench", cloud.port())) {
      String cloudUrl = "http://127.0.0.1:" + cloud.port();
      AdminApi api = new AdminApi(http, cloudUrl, "bench");
      api.send("POST", "/api/v1/admin/tenants", Map.of("id", "t1", "name", "Bench Burgers"));
      api.send(
          "POST", "/api/v1/admin/tenants/t1/locations", Map.of("id", "loc-1", "name", "Bench"));
      String edgeToken = api.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      String posToken = api.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
      List<String> employees = MenuSeed.seed(cloud.config().store(), menuItems, 20);

      try (EdgeServer edge =
          EdgeServer.start(
              EdgeSettings.of(
                      dir.resolve("edge"),
                      URI.create("http://127.0.0.1:" + link.port()),
                      edgeToken,
                      "loc-1")
                  .withDeviceId("edge-1")
                  .withHost("127.0.0.1")
                  .withPort(0)
                  .withPayments(
                      PaymentSettings.defaults()
                          .withLimits(
                              PaymentSettings.DEFAULT_FLOOR_LIMIT_MINOR, OUTAGE_LIMIT_MINOR)))) {
        edge.syncNow(); // the edge learns the terminal's token
        edge.configSyncer().syncNow(SyncKind.FULL);
        LanTerminal pos = new LanTerminal(http, "http://127.0.0.1:" + edge.port(), posToken);
        OrderMix mix = new OrderMix(pos.get("/api/v1/menu"), employees, 42);
        Day day = new Day(cloud, edge, link, pos, mix, employees, terminals, offlineSeconds);

        System.out.printf(
            Locale.ROOT,
            "reconnect benchmark: %,d orders with their payments and %d time punches offline, %d"
                + " terminals, link cut at least %d s, %d run(s)%n",
            orders,
            punches,
            terminals,
            offlineSeconds,
            runs);
        if (warmup > 0) {
          Outcome w = day.run(warmup, Math.min(punches, 4));
          System.out.printf(
              Locale.ROOT,
              "warm-up (%d orders, not counted): payments %.2f s, everything %.2f s%n",
              warmup,
              w.payments(),
              w.everything());
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          Outcome o = day.run(orders, punches);
          outcomes.add(o);
          System.out.printf(
              Locale.ROOT,
              "run %d: first payment %.2f s, all payments %.2f s, everything %.2f s after the"
                  + " link came back%n",
              run,
              o.firstPayment(),
              o.payments(),
              o.everything());
        }
        System.out.printf(
            Locale.ROOT,
            "median of %d: first payment %.2f s, all payments %.2f s, everything %.2f s"
                + " (targets: payments ≤ 2 s, everything ≤ 10 s)%n",
            runs,
            median(outcomes.stream().mapToDouble(Outcome::firstPayment).toArray()),
            median(outcomes.stream().mapToDouble(Outcome::payments).toArray()),
            median(outcomes.stream().mapToDouble(Outcome::everything).toArray()));
        // The wait for the edge's next retry depends on its backoff's jitter and the outage's
        // length; the drain after it is what the rest of the system costs.
        System.out.printf(
            Locale.ROOT,
            "median drain after the first payment: all payments +%.2f s, everything +%.2f s%n",
            median(outcomes.stream().mapToDouble(o -> o.payments() - o.firstPayment()).toArray()),
            median(
                outcomes.stream().mapToDouble(o -> o.everything() - o.firstPayment()).toArray()));
      }
    } finally {
      DrainBenchmark.deleteTree(dir);
    }
    System.exit(0);
  }

  /** The restaurant's outages, one after another on one cloud and edge. */
  private record Day(
      CloudServer cloud,
      EdgeServer edge,
      TcpProxy link,
      LanTerminal pos,
      OrderMix mix,
      List<String> employees,
      int terminals,
      int offlineSeconds) {

    Outcome run(int orders, int punches) throws Exception {
      Held before = held();
      link.cut();
      long cutAt = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      AtomicInteger cards = new AtomicInteger();
      ExecutorService workers = Executors.newFixedThreadPool(terminals + 1);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < terminals; t++) {
        work.add(
            workers.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < orders; i = next.getAndIncrement()) {
                    if (takeOrder(i)) {
                      cards.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      work.add(
          workers.submit(
              () -> {
                for (int k = 0; k < punches; k++) {
                  String employee = employees.get(k / 2 % employees.size());
                  String type = k % 2 == 0 ? "clock_in" : "clock_out";
                  LanTerminal.created(
                      pos.post(
                              "/api/v1/time-punches",
                              "{\"employee_id\":\""
                                  + employee
                                  + "\",\"pin\":\""
                                  + MenuSeed.PIN
                                  + "\",\"type\":\""
                                  + type
                                  + "\"}")
                          .join(),
                      "POST /api/v1/time-punches");
                }
                return null;
              }));
      for (Future<?> f : work) {
        f.get();
      }
      workers.shutdown();
      double taking = (System.nanoTime() - cutAt) / 1e9;
      long rest = offlineSeconds * 1_000_000_000L - (System.nanoTime() - cutAt);
      if (rest > 0) {
        Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
      }
      if (!held().equals(before)) {
        throw new IllegalStateException(
            "the cloud received writes while the link was cut: " + before + " then " + held());
      }
      System.out.printf(
          Locale.ROOT,
          "  offline %.1f s: took %,d orders (%,d paid by card, %,d cash) and %d punches in %.1f"
              + " s; the edge's outbox holds %,d ops%n",
          (System.nanoTime() - cutAt) / 1e9,
          orders,
          cards.get(),
          orders - cards.get(),
          punches,
          taking,
          edge.status().pendingCount());

      Held target =
          new Held(before.payments + orders, before.paidOrders + orders, before.punches + punches);
      Held payments = new Held(target.payments, 0, 0);
      link.restore();
      long restoredAt = System.nanoTime();
      long firstAt = -1;
      long paymentsAt = -1;
      long deadline = restoredAt + 300_000_000_000L;
      while (true) {
        Held now = held();
        long t = System.nanoTime();
        if (firstAt < 0 && now.payments > before.payments) {
          firstAt = t;
        }
        if (paymentsAt < 0 && now.covers(payments)) {
          paymentsAt = t;
        }
        if (now.covers(target)) {
          return new Outcome(
              (firstAt - restoredAt) / 1e9,
              (paymentsAt - restoredAt) / 1e9,
              (t - restoredAt) / 1e9);
        }
        if (t - deadline > 0) {
          throw new IllegalStateException(
              "after 300 s the cloud holds "
                  + now
                  + ", not "
                  + target
                  + " (edge outbox: "
                  + edge.status().pendingCount()
                  + " ops)");
        }
        Thread.sleep(10);
      }
    }

    /** Takes order {@code i} and pays it in full; true when it was paid by card. */
    private boolean takeOrder(int i) {
      JsonNode order =
          LanTerminal.created(pos.post("/api/v1/orders", mix.next()).join(), "POST /api/v1/orders");
      String total = order.get("total").asText();
      boolean card = i % 2 == 1 && Money.parse("total", total).compareTo(FLOOR_LIMIT) <= 0;
      JsonNode paid =
          LanTerminal.created(
              pos.post(
                      "/api/v1/orders/" + order.get("id").asText() + "/payments",
                      LanTerminal.payment(card ? "card" : "cash", total))
                  .join(),
              "POST /api/v1/orders/{id}/payments");
      String due = paid.path("order").path("balance_due").asText();
      if (!due.equals("0.00")) {
        throw new IllegalStateException("order " + order.get("id") + " still has " + due + " due");
      }
      return card;
    }

    private Held held() {
      return cloud
          .database()
          .jdbi()
          .withHandle(
              h ->
                  h.createQuery(POLL)
                      .map((rs, ctx) -> new Held(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                      .one());
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
