package dev.olympus.edge.kitchen;

import static dev.olympus.edge.RestaurantFixtures.POS_TOKEN;
import static dev.olympus.edge.RestaurantFixtures.json;
import static dev.olympus.edge.RestaurantFixtures.openOrder;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.config.ConfigFixtures;
import dev.olympus.edge.realtime.TestSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Firing an order: a ticket on the grill printer and a kitchen_ticket on the KDS over the LAN. */
class KitchenFireTest {
  static final String KDS_TOKEN = "oly_kds-grill-token-abcdefghijklmnopqrstuvwxyz012345";

  @TempDir Path dir;

  @Test
  void confirm_routesItemsToThePrinterAndTheKds() throws Exception {
    try (TestPrinter printer = new TestPrinter();
        EdgeServer edge = RestaurantFixtures.start(dir, s -> s)) {
      ConfigFixtures.load(edge, withKitchen(printer.address().toString()));
      edge.devices()
          .store(
              List.of(
                  TestEdges.device("pos-1", "pos_terminal", POS_TOKEN, false),
                  TestEdges.device("kds-1", "kds", KDS_TOKEN, false)));
      String base = "http://127.0.0.1:" + edge.port();
      String id =
          openOrder(
              base,
              "{\"order_type\":\"dine_in\",\"table_id\":\"t-4\",\"items\":["
                  + "{\"menu_item_id\":\"mi-burger\",\"quantity\":2,\"modifier_ids\":[\"mod-bacon\"],"
                  + "\"note\":\"medium rare\"},{\"menu_item_id\":\"mi-soda\",\"quantity\":1}]}");
      try (TestSocket kds =
          TestSocket.connect(
              edge.port(), KDS_TOKEN, "kds-1", "loc-1", edge.records().latestLanSeq())) {

        var r = status(base, id, "{\"status\":\"confirmed\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !printer.receivedText().isEmpty());
        String ticket = printer.receivedText().get(0);
        assertThat(ticket).contains("2 x Burger").contains("Bacon").contains("medium rare");
        assertThat(ticket).doesNotContain("Soda");
        JsonNode frame = kds.next();
        while (!"kitchen_ticket".equals(frame.path("type").asText())) {
          frame = kds.next();
        }
        assertThat(frame.toString())
            .contains("Burger")
            .contains(json(r).get("order_number").asText());
      }
      var again = status(base, id, "{\"status\":\"preparing\"}");
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(edge.printQueue().all()).hasSize(1);
    }
  }

  @Test
  void addItems_toAnOrderAlreadyInTheKitchen_firesTheAddedItemsOnly() throws Exception {
    try (TestPrinter printer = new TestPrinter();
        EdgeServer edge = RestaurantFixtures.start(dir, s -> s)) {
      ConfigFixtures.load(edge, withKitchen(printer.address().toString()));
      String base = "http://127.0.0.1:" + edge.port();
      String id =
          openOrder(
              base,
              "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":1}]}");
      var pending =
          addItems(base, id, "{\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":3}]}");
      assertThat(pending.statusCode()).as(pending.body()).isEqualTo(200);
      assertThat(edge.printQueue().all()).as("a pending order is not in the kitchen yet").isEmpty();
      var confirmed = status(base, id, "{\"status\":\"confirmed\"}");
      assertThat(confirmed.statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> printer.receivedText().size() == 1);
      assertThat(printer.receivedText().get(0)).contains("1 x Burger").contains("3 x Burger");

      var added =
          addItems(
              base,
              id,
              "{\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":2,\"note\":\"well done\"}]}");

      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> printer.receivedText().size() == 2);
      String second = printer.receivedText().get(1);
      assertThat(second).contains("2 x Burger").contains("well done");
      assertThat(second).doesNotContain("1 x Burger").doesNotContain("3 x Burger");
      assertThat(edge.printQueue().all()).hasSize(2);
    }
  }

  @Test
  void void_ofAnOrderInTheKitchen_sendsAVoidTicketToItsStations_notForAPendingOne()
      throws Exception {
    try (TestPrinter printer = new TestPrinter();
        EdgeServer edge = RestaurantFixtures.start(dir, s -> s)) {
      ConfigFixtures.load(edge, withKitchen(printer.address().toString()));
      String base = "http://127.0.0.1:" + edge.port();
      String never =
          openOrder(
              base,
              "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":4}]}");
      assertThat(status(base, never, "{\"status\":\"void\"}").statusCode()).isEqualTo(200);
      String id =
          openOrder(
              base,
              "{\"order_type\":\"dine_in\",\"items\":[{\"menu_item_id\":\"mi-burger\",\"quantity\":2}]}");
      status(base, id, "{\"status\":\"preparing\"}");
      await().atMost(Duration.ofSeconds(10)).until(() -> printer.receivedText().size() == 1);

      var voided = status(base, id, "{\"status\":\"void\"}");

      assertThat(voided.statusCode()).as(voided.body()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> printer.receivedText().size() == 2);
      assertThat(printer.receivedText().get(1)).contains("*** VOID ***").contains("2 x Burger");
      assertThat(printer.receivedText()).noneMatch(t -> t.contains("4 x Burger"));
    }
  }

  private static java.net.http.HttpResponse<String> status(String base, String id, String body) {
    return send("POST", base + "/api/v1/orders/" + id + "/status", POS_TOKEN, body);
  }

  private static java.net.http.HttpResponse<String> addItems(String base, String id, String body) {
    return send("POST", base + "/api/v1/orders/" + id + "/items", POS_TOKEN, body);
  }

  /** The fixture's restaurant plus a grill printer and KDS for the burgers' print class. */
  static FullSyncPayload withKitchen(String printerAddress) {
    FullSyncPayload base = RestaurantFixtures.payload(2);
    Map<String, List<Map<String, Object>>> e = new LinkedHashMap<>(base.entities());
    List<Map<String, Object>> items = new java.util.ArrayList<>();
    for (Map<String, Object> item : e.get("menu_items")) {
      Map<String, Object> copy = new LinkedHashMap<>(item);
      if ("mi-burger".equals(item.get("id"))) {
        copy.put("print_class_id", "pc-grill");
      }
      items.add(copy);
    }
    e.put("menu_items", items);
    e.put("rvcs", List.of(Map.of("id", "rvc-1", "name", "Dining room")));
    e.put("print_classes", List.of(Map.of("id", "pc-grill", "name", "Grill")));
    e.put("order_devices", List.of(Map.of("id", "od-grill", "name", "Grill station")));
    e.put(
        "printers",
        List.of(Map.of("id", "p-grill", "name", "Grill printer", "ip_address", printerAddress)));
    e.put("kds_devices", List.of(Map.of("id", "kds-1", "name", "Grill KDS")));
    e.put(
        "print_class_routing",
        List.of(
            Map.of(
                "id",
                "pcr-1",
                "print_class_id",
                "pc-grill",
                "rvc_id",
                "rvc-1",
                "order_device_id",
                "od-grill")));
    e.put(
        "order_device_printers",
        List.of(Map.of("id", "odp-1", "order_device_id", "od-grill", "printer_id", "p-grill")));
    e.put(
        "order_device_kds",
        List.of(Map.of("id", "odk-1", "order_device_id", "od-grill", "kds_device_id", "kds-1")));
    return new FullSyncPayload(
        2, base.timestamp(), base.propertyId(), base.enterprise(), base.property(), e);
  }
}
