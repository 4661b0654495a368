package dev.olympus.edge.payments;

import static dev.olympus.edge.RestaurantFixtures.POS_TOKEN;
import static dev.olympus.edge.RestaurantFixtures.json;
import static dev.olympus.edge.RestaurantFixtures.openOrder;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.store.LocalRecord;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payments on the LAN: cash offline, cards accepted offline within the floor limits and settled
 * through a local stand-in for Stripe.
 */
class PaymentApiTest {
  @TempDir static Path dir;
  static FakeStripe stripe;
  static EdgeServer edge;
  static String base;

  /** 28.73: two cheeseburgers, fries and a soda. */
  static final String ORDER =
      "{\"order_type\":\"dine_in\",\"items\":["
          + "{\"menu_item_id\":\"mi-burger\",\"quantity\":2,\"modifier_ids\":[\"mod-cheese\"]},"
          + "{\"menu_item_id\":\"mi-fries\",\"quantity\":1},"
          + "{\"menu_item_id\":\"mi-soda\",\"quantity\":1}]}";

  @BeforeAll
  static void start() throws Exception {
    stripe = new FakeStripe();
    edge =
        RestaurantFixtures.start(
            dir,
            s ->
                s.withPayments(
                    PaymentSettings.defaults()
                        .withLimits(5_000, 10_000)
                        .withStripe(FakeStripe.SECRET_KEY, stripe.url())
                        .withSettleInterval(Duration.ofMillis(200))));
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterAll
  static void stop() {
    edge.close();
    stripe.close();
  }

  static HttpResponse<String> pay(String orderId, String body, String... headers) {
    return send("POST", base + "/api/v1/orders/" + orderId + "/payments", POS_TOKEN, body, headers);
  }

  @Test
  void cash_coveringTheTotal_isStoredAppendOnlyAndLetsTheOrderComplete() {
    String id = openOrder(base, ORDER);
    long queued = edge.outbox().size();

    var part = pay(id, "{\"tender\":\"cash\",\"amount\":\"20.00\"}");
    assertThat(part.statusCode()).as(part.body()).isEqualTo(201);
    JsonNode p = json(part);
    assertThat(p.get("tender").asText()).isEqualTo("cash");
    assertThat(p.get("amount").asText()).isEqualTo("20.00");
    assertThat(p.get("order").get("balance_due").asText()).isEqualTo("8.73");
    LocalRecord stored = edge.records().find("payments", p.get("id").asText()).orElseThrow();
    assertThat(stored.data().get("order_id")).isEqualTo(id);
    // The payment and the order's new balance: two outbox ops, the payment at critical priority.
    assertThat(edge.outbox().size()).isEqualTo(queued + 2);

    var early =
        send(
            "POST",
            base + "/api/v1/orders/" + id + "/status",
            POS_TOKEN,
            "{\"status\":\"completed\"}");
    assertThat(early.statusCode()).isEqualTo(409);

    var rest = pay(id, "{\"tender\":\"cash\",\"amount\":\"8.73\",\"tip\":\"2.00\"}");
    assertThat(rest.statusCode()).isEqualTo(201);
    assertThat(json(rest).get("order").get("balance_due").asText()).isEqualTo("0.00");
    assertThat(json(rest).get("order").get("amount_paid").asText()).isEqualTo("28.73");

    var done =
        send(
            "POST",
            base + "/api/v1/orders/" + id + "/status",
            POS_TOKEN,
            "{\"status\":\"completed\"}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(json(done).get("status").asText()).isEqualTo("completed");

    var afterCompleted = pay(id, "{\"tender\":\"cash\",\"amount\":\"1.00\"}");
    assertThat(afterCompleted.statusCode()).isEqualTo(409);
  }

  @Test
  void overpaymentOrNonPositiveAmount_is400NamingAmount() {
    String id = openOrder(base, ORDER);
    for (String body :
        new String[] {
          "{\"tender\":\"cash\",\"amount\":\"28.74\"}",
          "{\"tender\":\"cash\",\"amount\":\"0.00\"}",
          "{\"tender\":\"cash\",\"amount\":\"-5\"}",
          "{\"tender\":\"cash\",\"amount\":\"1.005\"}",
          "{\"tender\":\"cash\",\"amount\":\"ten\"}",
          "{\"tender\":\"cash\",\"amount\":true}",
          "{\"tender\":\"cash\"}"
        }) {
      var r = pay(id, body);
      assertThat(r.statusCode()).as(body + " → " + r.body()).isEqualTo(400);
      assertThat(json(r).get("field").asText()).as(body).isEqualTo("amount");
    }
    var tender = pay(id, "{\"tender\":\"bitcoin\",\"amount\":\"1.00\"}");
    assertThat(json(tender).get("field").asText()).isEqualTo("tender");
    var noCard = pay(id, "{\"tender\":\"card\",\"amount\":\"1.00\"}");
    assertThat(json(noCard).get("field").asText()).isEqualTo("payment_method");
    var malformed = pay(id, "{\"tender\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("error").asText()).isEqualTo("invalid_json");
    var unknownOrder = pay("no-such-order", "{\"tender\":\"cash\",\"amount\":\"1.00\"}");
    assertThat(unknownOrder.statusCode()).isEqualTo(404);
    var big = pay(id, "{\"tender\":\"cash\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
    assertThat(big.statusCode()).isEqualTo(413);
  }

  @Test
  void card_overTheFloorLimit_isRefused402AndNothingIsStored() {
    String id =
        openOrder(
            base,
            "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":6}]}");
    long before = edge.settlements().all().size();

    var r =
        pay(id, "{\"tender\":\"card\",\"amount\":\"50.01\",\"payment_method\":\"pm_card_visa\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(402);
    assertThat(json(r).get("error").asText()).isEqualTo("over_floor_limit");
    assertThat(json(r).get("message").asText()).contains("50.00");
    assertThat(edge.settlements().all()).hasSize((int) before);
    var order = send("GET", base + "/api/v1/orders/" + id, POS_TOKEN, null);
    assertThat(json(order).get("amount_paid").asText()).isEqualTo("0.00");
  }

  @Test
  void card_withinTheLimit_isQueuedAndSettledThroughStripeOnce() {
    String id = openOrder(base, ORDER);

    var r =
        pay(
            id,
            "{\"tender\":\"card\",\"amount\":\"28.73\",\"tip\":\"4.00\","
                + "\"payment_method\":\"pm_card_visa\"}",
            "Idempotency-Key",
            "key-card-pay-1");
    var again =
        pay(
            id,
            "{\"tender\":\"card\",\"amount\":\"28.73\",\"tip\":\"4.00\","
                + "\"payment_method\":\"pm_card_visa\"}",
            "Idempotency-Key",
            "key-card-pay-1");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    String paymentId = json(r).get("id").asText();
    assertThat(json(again).get("id").asText()).isEqualTo(paymentId);
    assertThat(json(r).get("authorization").asText()).isEqualTo("offline_approved");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> edge.records().find(PaymentSettlements.COLLECTION, paymentId).isPresent());
    LocalRecord settled =
        edge.records().find(PaymentSettlements.COLLECTION, paymentId).orElseThrow();
    assertThat(settled.data().get("status")).isEqualTo("settled");
    FakeStripe.Received charge =
        stripe.received().stream()
            .filter(c -> paymentId.equals(c.form().get("metadata[payment_id]")))
            .findFirst()
            .orElseThrow();
    assertThat(charge.form().get("amount")).isEqualTo("3273");
    assertThat(charge.form().get("currency")).isEqualTo("usd");
    assertThat(charge.header("Idempotency-Key")).isEqualTo("olympus-payment-" + paymentId);
    assertThat(
            stripe.received().stream()
                .filter(c -> paymentId.equals(c.form().get("metadata[payment_id]")))
                .count())
        .isEqualTo(1);
  }

  @Test
  void card_declinedAtSettlement_putsTheAmountBackOnTheOrder() {
    String id = openOrder(base, ORDER);

    var r =
        pay(
            id,
            "{\"tender\":\"card\",\"amount\":\"28.73\","
                + "\"payment_method\":\"pm_card_chargeDeclinedInsufficientFunds\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json(r).get("order").get("balance_due").asText()).isEqualTo("0.00");
    String paymentId = json(r).get("id").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> edge.records().find(PaymentSettlements.COLLECTION, paymentId).isPresent());
    LocalRecord answer =
        edge.records().find(PaymentSettlements.COLLECTION, paymentId).orElseThrow();
    assertThat(answer.data().get("status")).isEqualTo("declined");
    assertThat(answer.data().get("decline_code")).isEqualTo("insufficient_funds");
    LocalRecord order = edge.records().find("orders", id).orElseThrow();
    assertThat(order.data().get("amount_paid")).isEqualTo("0.00");
    assertThat(order.data().get("balance_due")).isEqualTo("28.73");
  }

  @Test
  void voidOfACompletedOrder_needsTheManagersPrivilege() {
    String id =
        openOrder(
            base,
            "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-soda\",\"quantity\":1}]}");
    assertThat(pay(id, "{\"tender\":\"cash\",\"amount\":\"2.09\"}").statusCode()).isEqualTo(201);
    assertThat(status(id, "{\"status\":\"completed\"}").statusCode()).isEqualTo(200);

    var cashier = status(id, "{\"status\":\"void\",\"employee_id\":\"emp-1\"}");
    assertThat(cashier.statusCode()).isEqualTo(403);
    assertThat(json(cashier).get("error").asText()).isEqualTo("privilege_required");
    var manager = status(id, "{\"status\":\"void\",\"employee_id\":\"emp-mgr\"}");
    assertThat(manager.statusCode()).as(manager.body()).isEqualTo(200);
    assertThat(json(manager).get("status").asText()).isEqualTo("void");
    var again = status(id, "{\"status\":\"completed\"}");
    assertThat(again.statusCode()).isEqualTo(409);
  }

  @Test
  void void_ofAnOrderWithACardNotYetCharged_cancelsTheSettlementSoTheCardIsNeverCharged() {
    String id = openOrder(base, ORDER);
    stripe.setDown(true);
    try {
      String paymentId = cardWhileStripeIsDown(id);
      int chargesBefore = stripe.charges();

      var voided = status(id, "{\"status\":\"void\"}");
      assertThat(voided.statusCode()).as(voided.body()).isEqualTo(200);
      assertThat(edge.settlements().find(paymentId).orElseThrow().status())
          .isEqualTo(SettlementEntry.CANCELED);
      assertThat(edge.records().find(PaymentSettlements.COLLECTION, paymentId).orElseThrow().data())
          .containsEntry("status", "canceled");

      stripe.setDown(false);
      edge.settler().orElseThrow().retryNow();
      edge.settler().orElseThrow().settleDue();
      assertThat(stripe.charges())
          .as("the card of a voided order is never charged")
          .isEqualTo(chargesBefore);
    } finally {
      stripe.setDown(false);
    }
  }

  @Test
  void void_ofAnOrderWithACardAlreadyCharged_isRefusedUntilItIsRefunded() {
    String id = openOrder(base, ORDER);
    var r =
        pay(id, "{\"tender\":\"card\",\"amount\":\"10.00\",\"payment_method\":\"pm_card_visa\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String paymentId = json(r).get("id").asText();
    edge.settler().orElseThrow().wake();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                edge.settlements()
                    .find(paymentId)
                    .orElseThrow()
                    .status()
                    .equals(SettlementEntry.SETTLED));

    var voided = status(id, "{\"status\":\"void\"}");
    assertThat(voided.statusCode()).as(voided.body()).isEqualTo(409);
    assertThat(json(voided).get("error").asText()).isEqualTo("card_payment_charged");
    assertThat(json(voided).get("message").asText()).contains(paymentId).contains("refund");
    assertThat(edge.records().find("orders", id).orElseThrow().data().get("status"))
        .isNotEqualTo("void");
  }

  @Test
  void card_takenWhileStripeIsDown_settlesOnceItIsBack() {
    String id = openOrder(base, ORDER);
    stripe.setDown(true);
    try {
      String paymentId = cardWhileStripeIsDown(id);
      assertThat(edge.records().find(PaymentSettlements.COLLECTION, paymentId)).isEmpty();

      stripe.setDown(false);
      edge.settler().orElseThrow().wake();

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> edge.records().find(PaymentSettlements.COLLECTION, paymentId).isPresent());
      assertThat(edge.records().find(PaymentSettlements.COLLECTION, paymentId).orElseThrow().data())
          .containsEntry("status", "settled");
    } finally {
      stripe.setDown(false);
    }
  }

  static HttpResponse<String> status(String orderId, String body) {
    return send("POST", base + "/api/v1/orders/" + orderId + "/status", POS_TOKEN, body);
  }

  /**
   * Pays {@code orderId} 10.00 by card while Stripe is down (the caller has set it down) and waits
   * for the settler's first failed attempt; returns the payment's id.
   */
  private static String cardWhileStripeIsDown(String orderId) {
    var r =
        pay(
            orderId,
            "{\"tender\":\"card\",\"amount\":\"10.00\",\"payment_method\":\"pm_card_visa\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String paymentId = json(r).get("id").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> edge.settlements().find(paymentId).orElseThrow().attempts() >= 1);
    return paymentId;
  }
}
