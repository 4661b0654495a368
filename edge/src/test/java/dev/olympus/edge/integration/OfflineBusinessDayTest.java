package dev.olympus.edge.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.CloudServer;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.config.SyncKind;
import dev.olympus.edge.payments.PaymentSettings;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.syncer.CloudException;
import dev.olympus.edge.syncer.CycleResult;
import dev.olympus.web.link.TcpProxy;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5's proof, a simulated offline business day: the config is seeded in the real cloud and
 * synced, the cloud is cut off, and several terminals take 2,000 orders with modifiers, pay each
 * (cash and card, cards within the offline floor limit), punch the clock and move stock through the
 * edge's LAN API only. When the link is back, payments (critical) must reach the cloud no later
 * than orders (high), every record exactly once, and the cloud's totals by tender and by employee
 * must equal the edge's sales report to the cent.
 */
class OfflineBusinessDayTest {
  private static final Logger log = LoggerFactory.getLogger(OfflineBusinessDayTest.class);

  static final String TENANT = "t1";
  static final String LOCATION = "loc-1";
  static final String BUSINESS_DATE = "2026-11-22";
  static final int ORDERS = 2_000;
  static final int TERMINALS = 4;
  static final int EMPLOYEES = 10;
  static final int MOVEMENTS = 300;
  static final String[] PUNCHES = {"clock_in", "break_start", "break_end", "clock_out"};

  /** The default offline floor limit per card payment (amount plus tip). */
  static final BigDecimal FLOOR_LIMIT =
      BigDecimal.valueOf(PaymentSettings.DEFAULT_FLOOR_LIMIT_MINOR, 2);

  @TempDir Path dir;

  /** What a terminal was told when it took an order and its payment. */
  record Sale(
      String orderId,
      int orderNumber,
      String employeeId,
      BigDecimal total,
      String paymentId,
      String tender,
      BigDecimal amount,
      BigDecimal tip) {}

  /** When the drain watcher first saw each collection complete in the cloud (System.nanoTime). */
  record Arrivals(long paymentsAt, long ordersAt) {}

  @Test
  void reconnect_afterAnOfflineDayOf2000Orders_paymentsArriveFirstAndCloudTotalsMatchTheReport()
      throws Exception {
    long testStart = System.nanoTime();
    try (CloudHarness cloud = CloudHarness.start(dir.resolve("cloud"), 0);
        TcpProxy uplink = new TcpProxy("uplink", cloud.port)) {
      cloud.createTenant(TENANT);
      cloud.createLocation(TENANT, LOCATION);
      String edgeToken = cloud.registerDevice(TENANT, LOCATION, "edge-1", "olympus_edge");
      List<String> terminals = new ArrayList<>();
      for (int t = 1; t <= TERMINALS; t++) {
        terminals.add(cloud.registerDevice(TENANT, LOCATION, "pos-" + t, "pos_terminal"));
      }
      seedConfig(cloud);

      try (EdgeServer edge =
          EdgeServer.start(
              TestEdges.settings(
                      dir.resolve("edge"),
                      URI.create("http://127.0.0.1:" + uplink.port()),
                      edgeToken,
                      LOCATION)
                  .withDeviceId("edge-1")
                  // 1,000-odd card payments of up to 50.00 wait unsettled all day: the outage
                  // limit is raised, the floor limit per payment stays the default.
                  .withPayments(
                      PaymentSettings.defaults()
                          .withLimits(PaymentSettings.DEFAULT_FLOOR_LIMIT_MINOR, 10_000_000)))) {
        edge.syncNow(); // learns the location's devices
        edge.configSyncer().syncNow(SyncKind.FULL);
        String lan = "http://127.0.0.1:" + edge.port();
        assertThat(edge.config().find("employees", employee(0))).isPresent();

        uplink.cut();
        assertThatThrownBy(edge::syncNow).isInstanceOf(CloudException.class);

        long dayStart = System.nanoTime();
        List<Sale> sales = runTheDay(lan, terminals);
        long dayMillis = millisSince(dayStart);
        log.info(
            "offline day: {} orders and payments, {} punches, {} stock movements in {} ms",
            sales.size(),
            EMPLOYEES * PUNCHES.length,
            MOVEMENTS,
            dayMillis);
        JsonNode offlineReport = salesReport(lan, terminals.get(0));
        assertThat(offlineReport.get("local_only").asBoolean()).isTrue();
        assertThat(offlineReport.get("totals").get("orders").asInt()).isEqualTo(ORDERS);

        Jdbi cloudStore = ((CloudServer) cloud.server()).database().reads();
        assertThat(cloudCounts(cloudStore))
            .as("nothing reached the cloud while cut")
            .isEqualTo(new long[] {0, 0});
        ExecutorService watcher = Executors.newSingleThreadExecutor();
        try {
          Future<Arrivals> arrivals = watcher.submit(() -> watchArrivals(cloudStore));
          long restoredAt = System.nanoTime();
          uplink.restore();
          CycleResult drain = edge.syncNow();
          long drainedMillis = millisSince(restoredAt);
          Arrivals seen = arrivals.get(60, TimeUnit.SECONDS);
          long paymentsMillis = TimeUnit.NANOSECONDS.toMillis(seen.paymentsAt() - restoredAt);
          long ordersMillis = TimeUnit.NANOSECONDS.toMillis(seen.ordersAt() - restoredAt);
          log.info(
              "link restored: all {} payments in the cloud after {} ms, all {} orders (completed)"
                  + " after {} ms; outbox drained in {} ms: {}",
              ORDERS,
              paymentsMillis,
              ORDERS,
              ordersMillis,
              drainedMillis,
              drain);
          assertThat(drain.rejected() + drain.toReview()).as(drain.toString()).isZero();
          assertThat(seen.paymentsAt())
              .as(
                  "payments (critical) are all in the cloud no later than the orders (high), were"
                      + " after %d ms and %d ms",
                  paymentsMillis, ordersMillis)
              .isLessThanOrEqualTo(seen.ordersAt());
        } finally {
          watcher.shutdownNow();
        }
        assertThat(edge.outbox().size()).isZero();

        JsonNode report = salesReport(lan, terminals.get(0));
        assertThat(report.get("local_only").asBoolean()).isFalse();
        String readToken = terminals.get(0);
        List<JsonNode> orders = cloudRecords(cloud, readToken, "orders");
        List<JsonNode> payments = cloudRecords(cloud, readToken, "payments");
        assertEachExactlyOnce(sales, orders, payments);
        assertThat(appliedOps(cloudStore, "payments"))
            .as("payment ops the cloud applied, and payments they wrote: each once")
            .isEqualTo(new long[] {ORDERS, ORDERS});
        long[] paymentSeqs = opSeqRange(cloudStore, "payments");
        long[] orderSeqs = opSeqRange(cloudStore, "orders");
        assertThat(paymentSeqs[1])
            .as(
                "every payment op is stored before any order op (seqs %s, %s)",
                paymentSeqs, orderSeqs)
            .isLessThan(orderSeqs[0]);
        assertOrderNumbersUnique(sales, orders);
        assertTotalsMatch(sales, orders, payments, report);
        assertThat(cloudRecords(cloud, readToken, "time_punches"))
            .hasSize(EMPLOYEES * PUNCHES.length);
        assertThat(cloudRecords(cloud, readToken, "inventory_movements")).hasSize(MOVEMENTS);
      }
    }
    log.info("offline business day test took {} ms in all", millisSince(testStart));
  }

  /** The restaurant in the cloud's config: menu with modifiers, taxes, employees, tenders. */
  static void seedConfig(CloudHarness cloud) throws Exception {
    cloud.admin(
        "PUT",
        "/api/v1/config/properties/" + LOCATION,
        Map.of(
            "name",
            "Downtown",
            "timezone",
            "America/New_York",
            "currency",
            "usd",
            "business_date",
            BUSINESS_DATE));
    config(
        cloud,
        "privileges",
        Map.of("id", "open_drawer", "enterprise_id", TENANT, "name", "Open the drawer"));
    config(
        cloud,
        "roles",
        Map.of(
            "id",
            "role-server",
            "property_id",
            LOCATION,
            "name",
            "Server",
            "privileges",
            List.of("open_drawer")));
    for (int e = 0; e < EMPLOYEES; e++) {
      Map<String, Object> employee = new LinkedHashMap<>();
      employee.put("id", employee(e));
      employee.put("property_id", LOCATION);
      employee.put("first_name", "Server");
      employee.put("last_name", "No. " + e);
      employee.put("role_id", "role-server");
      employee.put("status", "active");
      employee.put("pin", pin(e));
      config(cloud, "employees", employee);
    }
    config(cloud, "tax_groups", property("tax-food", "name", "Food", "rate", "0.0875"));
    config(cloud, "tax_groups", property("tax-drink", "name", "Drinks", "rate", "0.05"));
    config(cloud, "slus", property("slu-mains", "name", "Mains"));
    config(cloud, "slus", property("slu-sides", "name", "Sides"));
    config(cloud, "menu_items", menuItem("mi-burger", "Burger", "9.50", "slu-mains", "tax-food"));
    config(cloud, "menu_items", menuItem("mi-fries", "Fries", "3.00", "slu-sides", "tax-food"));
    config(cloud, "menu_items", menuItem("mi-soda", "Soda", "1.99", "slu-sides", "tax-drink"));
    config(cloud, "menu_items", menuItem("mi-shake", "Shake", "4.25", "slu-sides", "tax-drink"));
    config(
        cloud,
        "modifier_groups",
        property("mg-toppings", "name", "Toppings", "min_select", 0, "max_select", 2));
    config(
        cloud,
        "modifier_groups",
        property("mg-ice", "name", "Ice", "min_select", 0, "max_select", 1));
    config(cloud, "modifiers", property("mod-cheese", "name", "Cheese", "price", "1.25"));
    config(cloud, "modifiers", property("mod-bacon", "name", "Bacon", "price", "2.00"));
    config(cloud, "modifiers", property("mod-no-ice", "name", "No ice", "price", "0.00"));
    config(
        cloud,
        "modifier_group_modifiers",
        property("mgm-cheese", "modifier_group_id", "mg-toppings", "modifier_id", "mod-cheese"));
    config(
        cloud,
        "modifier_group_modifiers",
        property("mgm-bacon", "modifier_group_id", "mg-toppings", "modifier_id", "mod-bacon"));
    config(
        cloud,
        "modifier_group_modifiers",
        property("mgm-no-ice", "modifier_group_id", "mg-ice", "modifier_id", "mod-no-ice"));
    config(
        cloud,
        "menu_item_modifier_groups",
        property("mimg-burger", "menu_item_id", "mi-burger", "modifier_group_id", "mg-toppings"));
    config(
        cloud,
        "menu_item_modifier_groups",
        property("mimg-soda", "menu_item_id", "mi-soda", "modifier_group_id", "mg-ice"));
    config(cloud, "tenders", property("t-cash", "name", "Cash", "type", "cash"));
    config(cloud, "tenders", property("t-card", "name", "Card", "type", "card"));
  }

  static void config(CloudHarness cloud, String type, Map<String, Object> body) throws Exception {
    cloud.admin("POST", "/api/v1/config/" + type, body);
  }

  /** A config entity of the location: its id, then field, value pairs. */
  static Map<String, Object> property(String id, Object... fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("property_id", LOCATION);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      m.put((String) fields[i], fields[i + 1]);
    }
    return m;
  }

  static Map<String, Object> menuItem(
      String id, String name, String price, String slu, String tax) {
    return property(id, "name", name, "price", price, "slu_id", slu, "tax_group_id", tax);
  }

  static String employee(int e) {
    return String.format("emp-%02d", e);
  }

  static String pin(int e) {
    return Integer.toString(4800 + e);
  }

  /**
   * The day on the LAN: {@link #TERMINALS} terminals take {@link #ORDERS} orders between them, a
   * time clock takes every employee's four punches, the back office books stock, all at once.
   */
  static List<Sale> runTheDay(String lan, List<String> terminals) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(TERMINALS + 2);
    try {
      List<Future<List<Sale>>> tills = new ArrayList<>();
      for (int t = 0; t < TERMINALS; t++) {
        int terminal = t;
        tills.add(
            pool.submit(
                () -> takeOrders(lan, terminals.get(terminal), terminal, ORDERS / TERMINALS)));
      }
      Future<?> clock = pool.submit(() -> punchTheClock(lan, terminals.get(0)));
      Future<?> stock = pool.submit(() -> moveStock(lan, terminals.get(1)));
      List<Sale> sales = new ArrayList<>();
      for (Future<List<Sale>> till : tills) {
        sales.addAll(till.get(120, TimeUnit.SECONDS));
      }
      clock.get(120, TimeUnit.SECONDS);
      stock.get(120, TimeUnit.SECONDS);
      return sales;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One terminal's share of the day: open, (fire,) pay and complete each order. */
  static List<Sale> takeOrders(String lan, String token, int terminal, int count) {
    Random random = new Random(1_000 + terminal);
    List<Sale> sales = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String employee = employee(random.nextInt(EMPLOYEES));
      boolean dineIn = random.nextBoolean();
      JsonNode order =
          call(
              "POST",
              lan + "/api/v1/orders",
              token,
              Map.of(
                  "order_type",
                  dineIn ? "dine_in" : "takeout",
                  "employee_id",
                  employee,
                  "items",
                  items(random)),
              201);
      String orderId = order.get("id").asText();
      if (dineIn) {
        call(
            "POST",
            lan + "/api/v1/orders/" + orderId + "/status",
            token,
            Map.of("status", "confirmed"),
            200);
      }
      BigDecimal total = money(order.get("total"));
      BigDecimal tip = BigDecimal.valueOf(random.nextInt(301), 2);
      boolean card = random.nextBoolean() && total.add(tip).compareTo(FLOOR_LIMIT) <= 0;
      Map<String, Object> payment = new LinkedHashMap<>();
      payment.put("tender", card ? "card" : "cash");
      payment.put("amount", total.toPlainString());
      if (card) {
        payment.put("tip", tip.toPlainString());
        payment.put("payment_method", "pm_card_visa");
      } else {
        tip = BigDecimal.ZERO.setScale(2);
      }
      payment.put("employee_id", employee);
      JsonNode paid =
          call("POST", lan + "/api/v1/orders/" + orderId + "/payments", token, payment, 201);
      assertThat(paid.get("order").get("balance_due").asText()).isEqualTo("0.00");
      JsonNode completed =
          call(
              "POST",
              lan + "/api/v1/orders/" + orderId + "/status",
              token,
              Map.of("status", "completed"),
              200);
      assertThat(completed.get("status").asText()).isEqualTo("completed");
      sales.add(
          new Sale(
              orderId,
              Integer.parseInt(order.get("order_number").asText()),
              employee,
              total,
              paid.get("id").asText(),
              card ? "card" : "cash",
              total,
              tip));
    }
    return sales;
  }

  /** One to three lines: a burger with up to two toppings, fries, a soda or a shake. */
  static List<Map<String, Object>> items(Random random) {
    List<Map<String, Object>> items = new ArrayList<>();
    List<String> toppings = new ArrayList<>();
    if (random.nextBoolean()) {
      toppings.add("mod-cheese");
    }
    if (random.nextInt(3) == 0) {
      toppings.add("mod-bacon");
    }
    items.add(
        Map.of(
            "menu_item_id",
            "mi-burger",
            "quantity",
            1 + random.nextInt(2),
            "modifier_ids",
            toppings));
    if (random.nextBoolean()) {
      items.add(Map.of("menu_item_id", "mi-fries", "quantity", 1));
    }
    switch (random.nextInt(3)) {
      case 0 ->
          items.add(
              Map.of(
                  "menu_item_id",
                  "mi-soda",
                  "quantity",
                  1 + random.nextInt(2),
                  "modifier_ids",
                  random.nextBoolean() ? List.of("mod-no-ice") : List.of()));
      case 1 -> items.add(Map.of("menu_item_id", "mi-shake", "quantity", 1));
      default -> {}
    }
    return items;
  }

  /** Every employee clocks in, takes a break and clocks out: 40 punches, each PIN checked. */
  static void punchTheClock(String lan, String token) {
    for (String type : PUNCHES) {
      for (int e = 0; e < EMPLOYEES; e++) {
        call(
            "POST",
            lan + "/api/v1/time-punches",
            token,
            Map.of("employee_id", employee(e), "pin", pin(e), "type", type),
            201);
      }
    }
  }

  /** Deliveries, sales, waste and counts of the menu's items. */
  static void moveStock(String lan, String token) {
    String[] kinds = {"receipt", "sale", "sale", "waste", "count"};
    String[] items = {"mi-burger", "mi-fries", "mi-soda", "mi-shake"};
    for (int i = 0; i < MOVEMENTS; i++) {
      call(
          "POST",
          lan + "/api/v1/inventory/movements",
          token,
          Map.of(
              "item_id",
              items[i % items.length],
              "kind",
              kinds[i % kinds.length],
              "quantity",
              String.valueOf(1 + i % 7),
              "employee_id",
              employee(i % EMPLOYEES)),
          201);
    }
  }

  static JsonNode call(String method, String url, String token, Object body, int expected) {
    HttpResponse<String> r =
        TestEdges.send(method, url, token, body == null ? null : Json.write(body));
    assertThat(r.statusCode()).as(method + " " + url + ": " + r.body()).isEqualTo(expected);
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON from " + method + " " + url + ": " + r.body(), e);
    }
  }

  static JsonNode salesReport(String lan, String token) {
    return call(
        "GET", lan + "/api/v1/reports/sales?business_date=" + BUSINESS_DATE, token, null, 200);
  }

  /** Payments and completed orders in the cloud's store, read in one statement (one snapshot). */
  static long[] cloudCounts(Jdbi store) {
    return store.withHandle(
        h ->
            h.createQuery(
                    "SELECT (SELECT count(*) FROM records WHERE tenant_id = :t"
                        + " AND collection = 'payments' AND deleted = 0),"
                        + " (SELECT count(*) FROM records WHERE tenant_id = :t"
                        + " AND collection = 'orders' AND deleted = 0"
                        + " AND json_extract(data, '$.status') = 'completed')")
                .bind("t", TENANT)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .one());
  }

  /** Ops of {@code collection} the cloud applied (its op log), and the records they wrote. */
  /** The lowest and highest seq the cloud gave the ops of {@code collection}. */
  static long[] opSeqRange(Jdbi store, String collection) {
    return store.withHandle(
        h ->
            h.createQuery(
                    "SELECT min(seq), max(seq) FROM op_log WHERE tenant_id = :t AND collection = :c")
                .bind("t", TENANT)
                .bind("c", collection)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .one());
  }

  static long[] appliedOps(Jdbi store, String collection) {
    return store.withHandle(
        h ->
            h.createQuery(
                    "SELECT count(*), count(DISTINCT record_id) FROM op_log"
                        + " WHERE tenant_id = :t AND collection = :c")
                .bind("t", TENANT)
                .bind("c", collection)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .one());
  }

  /**
   * Polls the cloud's store while the edge drains, until it holds all payments and all orders in
   * their final (completed) state; a tie (both seen complete by the same poll) counts as payments
   * no later than orders.
   */
  static Arrivals watchArrivals(Jdbi store) throws InterruptedException {
    long paymentsAt = -1;
    long ordersAt = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(55);
    while ((paymentsAt < 0 || ordersAt < 0) && System.nanoTime() < deadline) {
      long[] counts = cloudCounts(store);
      long now = System.nanoTime();
      if (paymentsAt < 0 && counts[0] == ORDERS) {
        paymentsAt = now;
      }
      if (ordersAt < 0 && counts[1] == ORDERS) {
        ordersAt = now;
      }
      Thread.sleep(5);
    }
    assertThat(paymentsAt).as("all payments reached the cloud").isPositive();
    assertThat(ordersAt).as("all orders reached the cloud, completed").isPositive();
    return new Arrivals(paymentsAt, ordersAt);
  }

  /** A collection of the location as the cloud's records API lists it, all pages. */
  static List<JsonNode> cloudRecords(CloudHarness cloud, String token, String collection) {
    List<JsonNode> all = new ArrayList<>();
    String after = null;
    do {
      JsonNode page =
          call(
              "GET",
              cloud.base()
                  + "/api/v1/records/"
                  + collection
                  + "?limit=1000"
                  + (after == null ? "" : "&after=" + after),
              token,
              null,
              200);
      page.get("records").forEach(all::add);
      JsonNode next = page.get("next_after");
      after = next == null || next.isNull() ? null : next.asText();
    } while (after != null);
    return all;
  }

  static void assertEachExactlyOnce(
      List<Sale> sales, List<JsonNode> orders, List<JsonNode> payments) {
    assertThat(sales).hasSize(ORDERS);
    Set<String> orderIds = sales.stream().map(Sale::orderId).collect(Collectors.toSet());
    Set<String> paymentIds = sales.stream().map(Sale::paymentId).collect(Collectors.toSet());
    assertThat(orderIds).hasSize(ORDERS);
    assertThat(paymentIds).hasSize(ORDERS);
    assertThat(orders.stream().map(o -> o.get("id").asText()).toList())
        .as("each order exactly once in the cloud")
        .hasSize(ORDERS)
        .containsExactlyInAnyOrderElementsOf(orderIds);
    assertThat(payments.stream().map(p -> p.get("id").asText()).toList())
        .as("each payment exactly once in the cloud")
        .hasSize(ORDERS)
        .containsExactlyInAnyOrderElementsOf(paymentIds);
    Map<String, Long> paymentsPerOrder =
        payments.stream()
            .collect(
                Collectors.groupingBy(
                    p -> p.get("data").get("order_id").asText(), Collectors.counting()));
    assertThat(paymentsPerOrder).hasSize(ORDERS).allSatisfy((id, n) -> assertThat(n).isOne());
    for (JsonNode o : orders) {
      JsonNode d = o.get("data");
      assertThat(o.get("deleted").asBoolean()).isFalse();
      assertThat(d.get("status").asText()).as(o.toString()).isEqualTo("completed");
      assertThat(money(d.get("amount_paid"))).as(o.toString()).isEqualTo(money(d.get("total")));
      assertThat(money(d.get("balance_due"))).as(o.toString()).isEqualTo(money("0.00"));
    }
  }

  static void assertOrderNumbersUnique(List<Sale> sales, List<JsonNode> orders) {
    List<Integer> inCloud =
        orders.stream()
            .filter(o -> BUSINESS_DATE.equals(o.get("data").get("business_date").asText()))
            .map(o -> Integer.parseInt(o.get("data").get("order_number").asText()))
            .toList();
    assertThat(inCloud)
        .as("order numbers of " + BUSINESS_DATE)
        .hasSize(ORDERS)
        .doesNotHaveDuplicates();
    // Numbers of committed orders are 1…N with no gap and no repeat, as the terminals got them.
    assertThat(inCloud)
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, ORDERS).boxed().toList());
    assertThat(sales.stream().map(Sale::orderNumber).toList())
        .containsExactlyInAnyOrderElementsOf(inCloud);
  }

  /**
   * The cloud's totals by tender (payments' amount and tip) and by employee (orders' total) equal
   * the edge's report and what the terminals took, to the cent.
   */
  static void assertTotalsMatch(
      List<Sale> sales, List<JsonNode> orders, List<JsonNode> payments, JsonNode report) {
    Map<String, BigDecimal> cloudByTender = new TreeMap<>();
    Map<String, BigDecimal> cloudTipsByTender = new TreeMap<>();
    Map<String, Integer> cloudPaymentsByTender = new TreeMap<>();
    for (JsonNode p : payments) {
      JsonNode d = p.get("data");
      String tender = d.get("tender").asText();
      cloudByTender.merge(tender, money(d.get("amount")), BigDecimal::add);
      cloudTipsByTender.merge(tender, money(d.get("tip")), BigDecimal::add);
      cloudPaymentsByTender.merge(tender, 1, Integer::sum);
    }
    Map<String, BigDecimal> cloudByEmployee = new TreeMap<>();
    BigDecimal cloudTotal = money("0.00");
    for (JsonNode o : orders) {
      JsonNode d = o.get("data");
      BigDecimal total = money(d.get("total"));
      cloudByEmployee.merge(d.get("employee_id").asText(), total, BigDecimal::add);
      cloudTotal = cloudTotal.add(total);
    }

    Map<String, BigDecimal> reportByTender = new TreeMap<>();
    Map<String, BigDecimal> reportTipsByTender = new TreeMap<>();
    Map<String, Integer> reportPaymentsByTender = new TreeMap<>();
    for (JsonNode row : report.get("by_tender")) {
      String tender = row.get("tender").asText();
      reportByTender.put(tender, money(row.get("amount")));
      reportTipsByTender.put(tender, money(row.get("tip")));
      reportPaymentsByTender.put(tender, row.get("payments").asInt());
    }
    Map<String, BigDecimal> reportByEmployee = new TreeMap<>();
    for (JsonNode row : report.get("by_employee")) {
      reportByEmployee.put(row.get("employee_id").asText(), money(row.get("total")));
    }

    Map<String, BigDecimal> takenByTender = new TreeMap<>();
    Map<String, BigDecimal> takenByEmployee = new TreeMap<>();
    for (Sale s : sales) {
      takenByTender.merge(s.tender(), s.amount(), BigDecimal::add);
      takenByEmployee.merge(s.employeeId(), s.total(), BigDecimal::add);
    }
    log.info(
        "cloud totals by tender {} (tips {}), by employee {}; report by tender {}, by employee {}",
        cloudByTender,
        cloudTipsByTender,
        cloudByEmployee,
        reportByTender,
        reportByEmployee);

    assertThat(cloudByTender).containsOnlyKeys("cash", "card");
    assertThat(cloudByTender).as("cloud by tender = report").isEqualTo(reportByTender);
    assertThat(cloudTipsByTender).as("cloud tips by tender = report").isEqualTo(reportTipsByTender);
    assertThat(cloudPaymentsByTender).isEqualTo(reportPaymentsByTender);
    assertThat(cloudByTender).as("cloud by tender = what terminals took").isEqualTo(takenByTender);
    assertThat(cloudByEmployee).hasSize(EMPLOYEES);
    assertThat(cloudByEmployee).as("cloud by employee = report").isEqualTo(reportByEmployee);
    assertThat(cloudByEmployee).as("cloud by employee = terminals").isEqualTo(takenByEmployee);
    assertThat(money(report.get("totals").get("total"))).isEqualTo(cloudTotal);
    assertThat(report.get("totals").get("orders").asInt()).isEqualTo(ORDERS);
    BigDecimal cloudPaid = cloudByTender.values().stream().reduce(BigDecimal::add).orElseThrow();
    assertThat(cloudPaid).as("every order paid in full").isEqualTo(cloudTotal);
  }

  /** An amount to the cent; more decimal places than two fail the test (setScale throws). */
  static BigDecimal money(JsonNode v) {
    assertThat(v).as("money field").isNotNull();
    return money(v.asText());
  }

  static BigDecimal money(String v) {
    return new BigDecimal(v).setScale(2);
  }

  static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
