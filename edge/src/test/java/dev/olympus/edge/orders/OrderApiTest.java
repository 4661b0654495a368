package dev.olympus.edge.orders;

import static dev.olympus.edge.RestaurantFixtures.POS_TOKEN;
import static dev.olympus.edge.RestaurantFixtures.createOrder;
import static dev.olympus.edge.RestaurantFixtures.json;
import static dev.olympus.edge.RestaurantFixtures.openOrder;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.LocalRecord;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The menu and orders on the LAN of an edge whose cloud is unreachable. */
class OrderApiTest {
  @TempDir static Path dir;
  static EdgeServer edge;
  static String base;

  static final String TWO_CHEESEBURGERS_FRIES_SODA =
      "{\"order_type\":\"dine_in\",\"table_id\":\"t-12\",\"employee_id\":\"emp-1\",\"items\":["
          + "{\"menu_item_id\":\"mi-burger\",\"quantity\":2,\"modifier_ids\":[\"mod-cheese\"]},"
          + "{\"menu_item_id\":\"mi-fries\",\"quantity\":1},"
          + "{\"menu_item_id\":\"mi-soda\",\"quantity\":1}]}";

  @BeforeAll
  static void start() {
    edge = RestaurantFixtures.start(dir, s -> s);
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterAll
  static void stop() {
    edge.close();
  }

  @Test
  void menu_syncedConfig_listsSlusItemsAndModifierGroups() {
    var r = send("GET", base + "/api/v1/menu", POS_TOKEN, null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode menu = json(r);
    assertThat(menu.get("currency").asText()).isEqualTo("usd");
    JsonNode burgers = menu.get("slus").get(0);
    assertThat(burgers.get("name").asText()).isEqualTo("Burgers");
    JsonNode burger = burgers.get("items").get(0);
    assertThat(burger.get("id").asText()).isEqualTo("mi-burger");
    assertThat(burger.get("price").asText()).isEqualTo("9.50");
    assertThat(burger.get("tax_group_id").asText()).isEqualTo("tax-food");
    assertThat(burger.get("available").asBoolean()).isTrue();
    JsonNode toppings = burger.get("modifier_groups").get(0);
    assertThat(toppings.get("name").asText()).isEqualTo("Toppings");
    assertThat(toppings.get("max_select").asInt()).isEqualTo(2);
    assertThat(toppings.get("modifiers").findValuesAsText("id"))
        .containsExactly("mod-cheese", "mod-bacon");
    JsonNode sides = menu.get("slus").get(1).get("items");
    assertThat(sides.findValuesAsText("id")).containsExactly("mi-fries", "mi-salad", "mi-soda");
    assertThat(sides.get(1).get("available").asBoolean()).as("86'd salad").isFalse();
  }

  @Test
  void menu_beforeAnyConfigSync_is503SayingSo(@TempDir Path fresh) {
    try (EdgeServer bare = TestEdges.offlineEdge(fresh)) {
      var r =
          send("GET", "http://127.0.0.1:" + bare.port() + "/api/v1/menu", TestEdges.API_KEY, null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(json(r).get("error").asText()).isEqualTo("no_config");
      assertThat(json(r).get("message").asText()).contains("not synced");
      var order =
          send(
              "POST",
              "http://127.0.0.1:" + bare.port() + "/api/v1/orders",
              TestEdges.API_KEY,
              "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"x\",\"quantity\":1}]}");
      assertThat(order.statusCode()).isEqualTo(503);
    }
  }

  @Test
  void create_offline_isPricedNumberedStoredAndQueuedForTheCloud() {
    long queued = edge.outbox().size();

    var r = createOrder(base, TWO_CHEESEBURGERS_FRIES_SODA);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode o = json(r);
    assertThat(o.get("status").asText()).isEqualTo("pending");
    assertThat(o.get("order_number").asText()).matches("\\d{4}");
    assertThat(o.get("business_date").asText()).isEqualTo("2026-11-22");
    // (9.50 + 1.25) × 2 + 3.00 = 24.50 food, 1.99 drink
    assertThat(o.get("subtotal").asText()).isEqualTo("26.49");
    // 24.50 × 8.75 % = 2.14375 → 2.14; 1.99 × 5 % = 0.0995 → 0.10
    assertThat(o.get("tax").asText()).isEqualTo("2.24");
    assertThat(o.get("total").asText()).isEqualTo("28.73");
    assertThat(o.get("balance_due").asText()).isEqualTo("28.73");
    assertThat(o.get("lines")).hasSize(3);
    JsonNode burgers = o.get("lines").get(0);
    assertThat(burgers.get("unit_price").asText()).isEqualTo("10.75");
    assertThat(burgers.get("extended").asText()).isEqualTo("21.50");
    assertThat(burgers.get("modifiers").get(0).get("name").asText()).isEqualTo("Cheese");
    String id = o.get("id").asText();
    assertThat(id).hasSize(36);
    LocalRecord stored = edge.records().find("orders", id).orElseThrow();
    assertThat(stored.data().get("total")).isEqualTo("28.73");
    assertThat(edge.outbox().size()).isEqualTo(queued + 1);

    var got = send("GET", base + "/api/v1/orders/" + id, POS_TOKEN, null);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(json(got).get("total").asText()).isEqualTo("28.73");
  }

  @Test
  void create_onAClosedOrNotYetOpenBusinessDate_is409SayingWhich() {
    long queued = edge.outbox().size();
    String order = "{\"order_type\":\"takeout\",\"business_date\":\"%s\",\"items\":[]}";

    var closed = send("POST", base + "/api/v1/orders", POS_TOKEN, order.formatted("2026-11-21"));
    var future = send("POST", base + "/api/v1/orders", POS_TOKEN, order.formatted("2026-11-23"));
    var garbled = send("POST", base + "/api/v1/orders", POS_TOKEN, order.formatted("21/11/2026"));
    var open = send("POST", base + "/api/v1/orders", POS_TOKEN, order.formatted("2026-11-22"));

    assertThat(closed.statusCode()).as(closed.body()).isEqualTo(409);
    assertThat(json(closed).get("error").asText()).isEqualTo("business_date_closed");
    assertThat(json(closed).get("message").asText()).contains("2026-11-21", "2026-11-22");
    assertThat(future.statusCode()).isEqualTo(409);
    assertThat(json(future).get("error").asText()).isEqualTo("business_date_not_open");
    assertThat(garbled.statusCode()).isEqualTo(400);
    assertThat(json(garbled).get("field").asText()).isEqualTo("business_date");
    assertThat(open.statusCode()).as(open.body()).isEqualTo(201);
    assertThat(edge.outbox().size()).isEqualTo(queued + 1);
  }

  @Test
  void create_threeLinesOfOneTaxGroup_roundsTaxOncePerOrderNotPerLine() {
    var r =
        createOrder(
            base,
            "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-fries\",\"quantity\":1},"
                + "{\"menu_item_id\":\"mi-fries\",\"quantity\":1},"
                + "{\"menu_item_id\":\"mi-fries\",\"quantity\":1}]}");

    // 9.00 × 8.75 % = 0.7875 → 0.79 (per line it would be 3 × 0.26 = 0.78)
    assertThat(json(r).get("tax").asText()).isEqualTo("0.79");
    assertThat(json(r).get("total").asText()).isEqualTo("9.79");
  }

  @Test
  void create_withOrderDiscount_takesItBeforeTax() {
    var r =
        createOrder(
            base,
            "{\"order_type\":\"takeout\",\"discount_ids\":[\"d-10pct\"],"
                + "\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":1}]}");

    JsonNode o = json(r);
    assertThat(o.get("subtotal").asText()).isEqualTo("9.50");
    assertThat(o.get("discount_total").asText()).isEqualTo("0.95");
    // 8.55 × 8.75 % = 0.748125 → 0.75
    assertThat(o.get("tax").asText()).isEqualTo("0.75");
    assertThat(o.get("total").asText()).isEqualTo("9.30");
  }

  @Test
  void create_clientIdWithIdempotencyKey_isWrittenOnceAndReplayed() {
    String body =
        "{\"id\":\"018f0000-0000-7000-8000-00000000a001\",\"order_type\":\"takeout\","
            + "\"items\":[{\"menu_item_id\":\"mi-soda\",\"quantity\":2}]}";
    var first = createOrder(base, body, "Idempotency-Key", "key-order-a001");
    var again = createOrder(base, body, "Idempotency-Key", "key-order-a001");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(json(first).get("id").asText()).isEqualTo("018f0000-0000-7000-8000-00000000a001");
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(json(again).get("order_number").asText())
        .isEqualTo(json(first).get("order_number").asText());

    var sameIdNoKey = createOrder(base, body);
    assertThat(sameIdNoKey.statusCode()).isEqualTo(409);
    assertThat(json(sameIdNoKey).get("field").asText()).isEqualTo("id");
  }

  @Test
  void create_concurrentTerminals_getUniqueOrderNumbers() throws Exception {
    int n = 40;
    List<Future<HttpResponse<String>>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < n; i++) {
        results.add(
            pool.submit(
                () ->
                    createOrder(
                        base,
                        "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-soda\","
                            + "\"quantity\":1}]}")));
      }
    }
    Set<String> numbers = new HashSet<>();
    for (Future<HttpResponse<String>> f : results) {
      HttpResponse<String> r = f.get();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      numbers.add(json(r).get("order_number").asText());
    }
    assertThat(numbers).hasSize(n);
  }

  @Test
  void addAndRemoveItems_repriceTheOrder() {
    String id =
        openOrder(
            base,
            "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":1}]}");

    var added =
        send(
            "POST",
            base + "/api/v1/orders/" + id + "/items",
            POS_TOKEN,
            "{\"items\":[{\"menu_item_id\":\"mi-fries\",\"quantity\":2,\"note\":\"extra salt\"}]}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    assertThat(json(added).get("subtotal").asText()).isEqualTo("15.50");
    // 15.50 × 8.75 % = 1.35625 → 1.36
    assertThat(json(added).get("total").asText()).isEqualTo("16.86");
    String friesLine = json(added).get("lines").get(1).get("line_id").asText();
    assertThat(json(added).get("lines").get(1).get("note").asText()).isEqualTo("extra salt");

    var removed =
        send("DELETE", base + "/api/v1/orders/" + id + "/items/" + friesLine, POS_TOKEN, null);
    assertThat(removed.statusCode()).isEqualTo(200);
    assertThat(json(removed).get("lines")).hasSize(1);
    assertThat(json(removed).get("total").asText()).isEqualTo("10.33");

    var unknownLine =
        send("DELETE", base + "/api/v1/orders/" + id + "/items/nope", POS_TOKEN, null);
    assertThat(unknownLine.statusCode()).isEqualTo(404);
    assertThat(json(unknownLine).get("field").asText()).isEqualTo("line_id");
  }

  @Test
  void status_forwardAllowed_backwardAndCompletingUnpaid_are409() {
    String id =
        openOrder(
            base,
            "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":1}]}");

    var confirmed = status(id, "confirmed");
    assertThat(confirmed.statusCode()).isEqualTo(200);
    assertThat(json(confirmed).get("status").asText()).isEqualTo("confirmed");
    assertThat(json(confirmed).has("fired_at")).isTrue();

    var back = status(id, "pending");
    assertThat(back.statusCode()).isEqualTo(409);
    assertThat(json(back).get("error").asText()).isEqualTo("illegal_transition");

    var unpaid = status(id, "completed");
    assertThat(unpaid.statusCode()).isEqualTo(409);
    assertThat(json(unpaid).get("error").asText()).isEqualTo("balance_due");

    var voided = status(id, "void");
    assertThat(voided.statusCode()).isEqualTo(200);
    var addAfterVoid =
        send(
            "POST",
            base + "/api/v1/orders/" + id + "/items",
            POS_TOKEN,
            "{\"items\":[{\"menu_item_id\":\"mi-fries\",\"quantity\":1}]}");
    assertThat(addAfterVoid.statusCode()).isEqualTo(409);
    assertThat(json(addAfterVoid).get("error").asText()).isEqualTo("order_closed");
  }

  @Test
  void create_badInput_is400NamingTheField() {
    String[][] cases = {
      {"{\"order_type\":", "data"},
      {"[1]", "data"},
      {"{\"items\":[]}", "order_type"},
      {"{\"order_type\":\"picnic\"}", "order_type"},
      {"{\"order_type\":7}", "order_type"},
      {"{\"order_type\":\"dine_in\",\"items\":{}}", "items"},
      {"{\"order_type\":\"dine_in\",\"items\":[42]}", "items[0]"},
      {"{\"order_type\":\"dine_in\",\"items\":[{\"quantity\":1}]}", "items[0].menu_item_id"},
      {
        "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":0}]}",
        "items[0].quantity"
      },
      {
        "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":\"2\"}]}",
        "items[0].quantity"
      },
      {
        "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-nope\",\"quantity\":1}]}",
        "items[0].menu_item_id"
      },
      {
        "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-salad\",\"quantity\":1}]}",
        "items[0].menu_item_id"
      },
      {
        "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-fries\",\"quantity\":1},"
            + "{\"menu_item_id\":\"mi-burger\",\"quantity\":1,\"modifier_ids\":[\"mod-nope\"]}]}",
        "items[1].modifier_ids[0]"
      },
      {
        "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-fries\",\"quantity\":1,"
            + "\"modifier_ids\":[\"mod-cheese\"]}]}",
        "items[0].modifier_ids[0]"
      },
      {
        "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":1,"
            + "\"modifier_ids\":[\"mod-cheese\",\"mod-cheese\",\"mod-bacon\"]}]}",
        "items[0].modifier_ids"
      },
      {"{\"order_type\":\"dine_in\",\"employee_id\":\"emp-nobody\"}", "employee_id"},
      {"{\"order_type\":\"dine_in\",\"discount_ids\":[\"d-nope\"]}", "discount_ids[0]"},
      {"{\"order_type\":\"dine_in\",\"id\":\"bad id\"}", "id"},
    };
    for (String[] c : cases) {
      var r = createOrder(base, c[0]);
      assertThat(r.statusCode()).as(c[0] + " → " + r.body()).isEqualTo(400);
      assertThat(json(r).get("field").asText()).as(c[0]).isEqualTo(c[1]);
      assertThat(json(r).get("message").asText()).as(c[0]).isNotBlank();
    }
  }

  @Test
  void otherEndpoints_badInput_is400Or404() {
    String id =
        openOrder(
            base,
            "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":1}]}");
    var unknown = send("GET", base + "/api/v1/orders/no-such-order", POS_TOKEN, null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").asText()).isEqualTo("not_found");

    var badStatus = status(id, "eaten");
    assertThat(badStatus.statusCode()).isEqualTo(400);
    assertThat(json(badStatus).get("field").asText()).isEqualTo("status");

    var statusOfUnknown = status("no-such-order", "confirmed");
    assertThat(statusOfUnknown.statusCode()).isEqualTo(404);

    var emptyItems =
        send("POST", base + "/api/v1/orders/" + id + "/items", POS_TOKEN, "{\"items\":[]}");
    assertThat(emptyItems.statusCode()).isEqualTo(400);
    assertThat(json(emptyItems).get("field").asText()).isEqualTo("items");

    var itemsOfUnknown =
        send(
            "POST",
            base + "/api/v1/orders/nope/items",
            POS_TOKEN,
            "{\"items\":[{\"menu_item_id\":\"mi-fries\",\"quantity\":1}]}");
    assertThat(itemsOfUnknown.statusCode()).isEqualTo(404);
  }

  @Test
  void create_oversizedBody_is413() {
    String big = "{\"order_type\":\"dine_in\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
    var r = createOrder(base, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("error").asText()).isEqualTo("body_too_large");
  }

  @Test
  void orders_tokenOfADeviceThisEdgeDoesNotKnow_is401() {
    // Another location's terminals never reach this edge's device directory (the cloud publishes
    // each location's devices to its own edge only), so their tokens are unknown here.
    var r =
        send(
            "POST",
            base + "/api/v1/orders",
            "oly_pos-of-another-location-0123456789abcdefghijk",
            "{\"order_type\":\"takeout\"}");
    assertThat(r.statusCode()).isEqualTo(401);
    var menu = send("GET", base + "/api/v1/menu", null, null);
    assertThat(menu.statusCode()).isEqualTo(401);
  }

  static HttpResponse<String> status(String id, String status) {
    return send(
        "POST",
        base + "/api/v1/orders/" + id + "/status",
        POS_TOKEN,
        "{\"status\":\"" + status + "\"}");
  }
}
