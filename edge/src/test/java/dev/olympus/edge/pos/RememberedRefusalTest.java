package dev.olympus.edge.pos;

import static dev.olympus.edge.RestaurantFixtures.POS_TOKEN;
import static dev.olympus.edge.RestaurantFixtures.json;
import static dev.olympus.edge.RestaurantFixtures.openOrder;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write refused under an Idempotency-Key answers its retry with the same refusal, even when the
 * state changed so that a new decision would accept it; and across a restart.
 */
class RememberedRefusalTest {
  @TempDir static Path dir;
  static EdgeServer edge;
  static String base;

  @BeforeAll
  static void start() {
    edge = RestaurantFixtures.start(dir, s -> s);
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  static HttpResponse<String> punch(String type, String key) {
    return send(
        "POST",
        base + "/api/v1/time-punches",
        POS_TOKEN,
        "{\"employee_id\":\"emp-1\",\"pin\":\""
            + RestaurantFixtures.PIN
            + "\",\"type\":\""
            + type
            + "\"}",
        "Idempotency-Key",
        key);
  }

  static void sameRefusal(HttpResponse<String> first, HttpResponse<String> retry) {
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(first.statusCode());
    assertThat(json(retry)).isEqualTo(json(first));
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
  }

  @Test
  void refusedPunch_retriedAfterTheStateChanged_getsTheSameRefusal_alsoAfterARestart() {
    long punches = edge.records().countLive("time_punches");
    var first = punch("clock_out", "key-out-1");
    assertThat(first.statusCode()).isEqualTo(409);

    assertThat(punch("clock_in", "key-in-1").statusCode()).isEqualTo(201);
    // Decided again, the clock-out would now be accepted: the retry is answered, not decided.
    sameRefusal(first, punch("clock_out", "key-out-1"));

    edge.close();
    edge = RestaurantFixtures.start(dir, s -> s);
    base = "http://127.0.0.1:" + edge.port();
    sameRefusal(first, punch("clock_out", "key-out-1"));
    assertThat(edge.records().countLive("time_punches")).isEqualTo(punches + 1);
    assertThat(punch("clock_out", "key-out-2").statusCode()).isEqualTo(201);
  }

  @Test
  void refusedPayment_retriedAfterTheBalanceGrew_getsTheSameRefusal() {
    String order =
        openOrder(
            base,
            "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-fries\",\"quantity\":1}]}");
    String pay = "{\"tender\":\"cash\",\"amount\":\"5.00\"}";
    var first =
        send(
            "POST",
            base + "/api/v1/orders/" + order + "/payments",
            POS_TOKEN,
            pay,
            "Idempotency-Key",
            "key-pay-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(400);
    assertThat(json(first).get("error").asText()).isEqualTo("overpayment");

    var added =
        send(
            "POST",
            base + "/api/v1/orders/" + order + "/items",
            POS_TOKEN,
            "{\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":1}]}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);

    var retry =
        send(
            "POST",
            base + "/api/v1/orders/" + order + "/payments",
            POS_TOKEN,
            pay,
            "Idempotency-Key",
            "key-pay-1");
    sameRefusal(first, retry);
    assertThat(edge.records().listBy("payments", "order_id", order)).isEmpty();
  }

  @Test
  void refusedCard_overTheFloorLimit_isAnsweredAgainNotDecidedAgain() {
    String order =
        openOrder(
            base,
            "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":6}]}");
    String card = "{\"tender\":\"card\",\"amount\":\"50.01\",\"payment_method\":\"pm_card_visa\"}";
    var first =
        send(
            "POST",
            base + "/api/v1/orders/" + order + "/payments",
            POS_TOKEN,
            card,
            "Idempotency-Key",
            "key-card-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(402);
    var retry =
        send(
            "POST",
            base + "/api/v1/orders/" + order + "/payments",
            POS_TOKEN,
            card,
            "Idempotency-Key",
            "key-card-1");
    sameRefusal(first, retry);
    assertThat(edge.records().listBy("payments", "order_id", order)).isEmpty();
  }

  @Test
  void refusedOrder_unknownItem_isRememberedAndTheKeyCannotMoveToAnotherWrite() {
    String body =
        "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-nope\",\"quantity\":1}]}";
    var first = RestaurantFixtures.createOrder(base, body, "Idempotency-Key", "key-order-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(400);
    sameRefusal(
        first, RestaurantFixtures.createOrder(base, body, "Idempotency-Key", "key-order-1"));

    var elsewhere =
        send(
            "POST",
            base + "/api/v1/inventory/movements",
            POS_TOKEN,
            "{\"item_id\":\"mi-fries\",\"kind\":\"waste\",\"quantity\":1}",
            "Idempotency-Key",
            "key-order-1");
    assertThat(elsewhere.statusCode()).isEqualTo(409);
    assertThat(json(elsewhere).get("error").asText()).isEqualTo("idempotency_key_reused");
  }

  @Test
  void malformedBody_isNotRemembered_theFixedRequestWithTheSameKeyIsDecided() {
    var bad =
        send(
            "POST",
            base + "/api/v1/inventory/movements",
            POS_TOKEN,
            "{\"item_id\":\"mi-fries\",\"kind\":\"waste\"",
            "Idempotency-Key",
            "key-move-1");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("error").asText()).isEqualTo("invalid_json");
    var fixed =
        send(
            "POST",
            base + "/api/v1/inventory/movements",
            POS_TOKEN,
            "{\"item_id\":\"mi-fries\",\"kind\":\"waste\",\"quantity\":1}",
            "Idempotency-Key",
            "key-move-1");
    assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(201);
  }

  @Test
  void wrongPin_isNotRemembered_theRightPinWithTheSameKeyIsDecided() {
    var wrong =
        send(
            "POST",
            base + "/api/v1/time-punches",
            POS_TOKEN,
            "{\"employee_id\":\"emp-mgr\",\"pin\":\"0000\",\"type\":\"clock_in\"}",
            "Idempotency-Key",
            "key-pin-1");
    assertThat(wrong.statusCode()).isEqualTo(401);
    var right =
        send(
            "POST",
            base + "/api/v1/time-punches",
            POS_TOKEN,
            "{\"employee_id\":\"emp-mgr\",\"pin\":\""
                + RestaurantFixtures.PIN
                + "\",\"type\":\"clock_in\"}",
            "Idempotency-Key",
            "key-pin-1");
    assertThat(right.statusCode()).as(right.body()).isEqualTo(201);
  }
}
