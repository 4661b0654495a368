package dev.olympus.edge.pos;

import static dev.olympus.edge.RestaurantFixtures.POS_TOKEN;
import static dev.olympus.edge.RestaurantFixtures.json;
import static dev.olympus.edge.RestaurantFixtures.openOrder;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.store.LocalRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables, time punches, stock movements and the sales report on an offline edge. */
class OperationsApiTest {
  @TempDir static Path dir;
  static EdgeServer edge;
  static String base;

  /** 14:30 in New York on the fixture's business date. */
  static final Instant NOW = Instant.parse("2026-11-22T19:30:00Z");

  @BeforeAll
  static void start() {
    edge = RestaurantFixtures.start(dir, s -> s.withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterAll
  static void stop() {
    edge.close();
  }

  @Test
  void tableStatus_isStoredAsATablesRecordKeepingOtherFields() {
    edge.records()
        .put("tables", "t-7", java.util.Map.of("seats", 4), java.util.OptionalLong.empty());

    var r = send("PUT", base + "/api/v1/tables/t-7/status", POS_TOKEN, "{\"status\":\"occupied\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("status").asText()).isEqualTo("occupied");
    LocalRecord t = edge.records().find("tables", "t-7").orElseThrow();
    assertThat(t.data()).containsEntry("status", "occupied").containsEntry("seats", 4L);
  }

  @Test
  void tableStatus_badInput_is400NamingTheField() {
    for (String[] c :
        new String[][] {
          {"{\"status\":\"on fire\"}", "status"},
          {"{\"status\":3}", "status"},
          {"{}", "status"},
          {"nope", "data"},
        }) {
      var r = send("PUT", base + "/api/v1/tables/t-8/status", POS_TOKEN, c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(json(r).get("field").asText()).as(c[0]).isEqualTo(c[1]);
    }
    var badId =
        send(
            "PUT", base + "/api/v1/tables/bad%20id/status", POS_TOKEN, "{\"status\":\"occupied\"}");
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(json(badId).get("field").asText()).isEqualTo("id");
  }

  @Test
  void timePunch_rightPin_isStoredWrongPinIs401() {
    var ok =
        send(
            "POST",
            base + "/api/v1/time-punches",
            POS_TOKEN,
            "{\"employee_id\":\"emp-1\",\"pin\":\""
                + RestaurantFixtures.PIN
                + "\",\"type\":\"clock_in\"}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    JsonNode punch = json(ok);
    assertThat(punch.get("type").asText()).isEqualTo("clock_in");
    assertThat(punch.get("business_date").asText()).isEqualTo("2026-11-22");
    assertThat(edge.records().find("time_punches", punch.get("id").asText())).isPresent();

    var wrong =
        send(
            "POST",
            base + "/api/v1/time-punches",
            POS_TOKEN,
            "{\"employee_id\":\"emp-mgr\",\"pin\":\"0000\",\"type\":\"clock_in\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).get("field").asText()).isEqualTo("pin");

    var badType =
        send(
            "POST",
            base + "/api/v1/time-punches",
            POS_TOKEN,
            "{\"employee_id\":\"emp-1\",\"pin\":\"1234\",\"type\":\"lunch\"}");
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(json(badType).get("field").asText()).isEqualTo("type");
    var noPin =
        send(
            "POST",
            base + "/api/v1/time-punches",
            POS_TOKEN,
            "{\"employee_id\":\"emp-1\",\"type\":\"clock_in\"}");
    assertThat(json(noPin).get("field").asText()).isEqualTo("pin");
  }

  @Test
  void inventoryMovement_isAppendOnlyRecordBadInputIs400() {
    var ok =
        send(
            "POST",
            base + "/api/v1/inventory/movements",
            POS_TOKEN,
            "{\"item_id\":\"mi-fries\",\"kind\":\"waste\",\"quantity\":2.5}",
            "Idempotency-Key",
            "key-waste-1");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    assertThat(json(ok).get("quantity").asText()).isEqualTo("2.5");
    var again =
        send(
            "POST",
            base + "/api/v1/inventory/movements",
            POS_TOKEN,
            "{\"item_id\":\"mi-fries\",\"kind\":\"waste\",\"quantity\":2.5}",
            "Idempotency-Key",
            "key-waste-1");
    assertThat(json(again).get("id").asText()).isEqualTo(json(ok).get("id").asText());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");

    for (String[] c :
        new String[][] {
          {"{\"item_id\":\"flour\",\"kind\":\"waste\",\"quantity\":1}", "item_id"},
          {"{\"item_id\":\"mi-fries\",\"kind\":\"stolen\",\"quantity\":1}", "kind"},
          {"{\"item_id\":\"mi-fries\",\"kind\":\"waste\",\"quantity\":0}", "quantity"},
          {"{\"item_id\":\"mi-fries\",\"kind\":\"waste\",\"quantity\":\"lots\"}", "quantity"},
          {"{\"item_id\":\"mi-fries\",\"kind\":\"waste\"}", "quantity"},
          {"{\"kind\":\"waste\",\"quantity\":1}", "item_id"},
        }) {
      var r = send("POST", base + "/api/v1/inventory/movements", POS_TOKEN, c[0]);
      assertThat(r.statusCode()).as(c[0] + " → " + r.body()).isEqualTo(400);
      assertThat(json(r).get("field").asText()).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void salesReport_sumsTheDaysLocalRecordsAndSaysItIsLocalOnly() {
    var before =
        json(send("GET", base + "/api/v1/reports/sales?business_date=2026-11-22", POS_TOKEN, null));
    int ordersBefore = before.get("totals").get("orders").asInt();

    String paid =
        openOrder(
            base,
            "{\"order_type\":\"takeout\",\"employee_id\":\"emp-1\","
                + "\"items\":[{\"menu_item_id\":\"mi-fries\",\"quantity\":3}]}");
    send(
        "POST",
        base + "/api/v1/orders/" + paid + "/payments",
        POS_TOKEN,
        "{\"tender\":\"cash\",\"amount\":\"9.79\"}");
    String voided =
        openOrder(
            base,
            "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":1}]}");
    send("POST", base + "/api/v1/orders/" + voided + "/status", POS_TOKEN, "{\"status\":\"void\"}");

    var r = send("GET", base + "/api/v1/reports/sales?business_date=2026-11-22", POS_TOKEN, null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode report = json(r);
    assertThat(report.get("local_only").asBoolean()).isTrue();
    assertThat(report.get("totals").get("orders").asInt()).isEqualTo(ordersBefore + 1);
    assertThat(report.get("totals").get("void_orders").asInt()).isGreaterThanOrEqualTo(1);
    JsonNode fries = findBy(report.get("by_item"), "menu_item_id", "mi-fries");
    assertThat(fries.get("quantity").asInt()).isGreaterThanOrEqualTo(3);
    JsonNode cash = findBy(report.get("by_tender"), "tender", "cash");
    assertThat(cash.get("amount").asText()).isNotEqualTo("0.00");
    // Opened at 19:30 UTC: 14:00 in the property's time zone (New York).
    assertThat(findBy(report.get("by_hour"), "hour", "14").get("orders").asInt()).isPositive();
    assertThat(findBy(report.get("by_employee"), "employee_id", "emp-1").get("total").asText())
        .isNotEqualTo("0.00");

    var empty =
        json(send("GET", base + "/api/v1/reports/sales?business_date=2020-01-01", POS_TOKEN, null));
    assertThat(empty.get("totals").get("total").asText()).isEqualTo("0.00");

    var bad = send("GET", base + "/api/v1/reports/sales?business_date=yesterday", POS_TOKEN, null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("field").asText()).isEqualTo("business_date");
  }

  @Test
  void everyWriteEndpoint_oversizedBody_is413() {
    String big = "{\"pad\":\"" + "x".repeat(10_000) + "\"}";
    for (String[] call :
        new String[][] {
          {"PUT", "/api/v1/tables/t-9/status"},
          {"POST", "/api/v1/time-punches"},
          {"POST", "/api/v1/inventory/movements"},
          {"POST", "/api/v1/orders/o-1/status"},
        }) {
      var r = send(call[0], base + call[1], POS_TOKEN, big);
      assertThat(r.statusCode()).as(call[1]).isEqualTo(413);
      assertThat(json(r).get("error").asText()).as(call[1]).isEqualTo("body_too_large");
    }
  }

  @Test
  void everyEndpoint_withoutToken_is401() {
    for (String[] call :
        new String[][] {
          {"GET", "/api/v1/menu"},
          {"GET", "/api/v1/reports/sales"},
          {"PUT", "/api/v1/tables/t-9/status"},
          {"POST", "/api/v1/time-punches"},
          {"POST", "/api/v1/inventory/movements"},
          {"POST", "/api/v1/orders/o-1/payments"},
        }) {
      var r = send(call[0], base + call[1], null, "{}");
      assertThat(r.statusCode()).as(call[1]).isEqualTo(401);
    }
  }

  private static JsonNode findBy(JsonNode rows, String field, String value) {
    for (JsonNode row : rows) {
      if (value.equals(row.get(field).asText())) {
        return row;
      }
    }
    throw new AssertionError("no row with " + field + " = " + value + " in " + rows);
  }
}
