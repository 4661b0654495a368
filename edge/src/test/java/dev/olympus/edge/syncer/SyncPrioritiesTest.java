package dev.olympus.edge.syncer;

import static dev.olympus.edge.RestaurantFixtures.POS_TOKEN;
import static dev.olympus.edge.RestaurantFixtures.openOrder;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.sync.Priority;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.outbox.OutboxEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default sync_config's priorities as an offline edge queues a day's writes: payments and
 * settlement answers first, then orders and punches, stock and alerts, kitchen tickets last.
 */
class SyncPrioritiesTest {
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
    edge.close();
  }

  @Test
  void paymentsAndSettlementsDrainBeforeOrders_kitchenTicketsLast() {
    // Written in the order least urgent first, so only the priorities can put them in push order.
    edge.records().put("kitchen_tickets", "kt-1", Map.of("order_id", "o-x"), OptionalLong.empty());
    edge.records()
        .put(
            "inventory_items",
            "cups",
            Map.of("name", "Cups", "reorder_level", "100"),
            OptionalLong.empty());
    var moved =
        send(
            "POST",
            base + "/api/v1/inventory/movements",
            POS_TOKEN,
            "{\"item_id\":\"cups\",\"kind\":\"receipt\",\"quantity\":50}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(201); // 50 ≤ 100: an alert
    String order =
        openOrder(
            base,
            "{\"order_type\":\"takeout\",\"items\":[{\"menu_item_id\":\"mi-fries\",\"quantity\":1}]}");
    var paid =
        send(
            "POST",
            base + "/api/v1/orders/" + order + "/payments",
            POS_TOKEN,
            "{\"tender\":\"cash\",\"amount\":\"3.26\"}");
    assertThat(paid.statusCode()).as(paid.body()).isEqualTo(201);
    // What the settler writes when the processor answers a card payment.
    edge.records()
        .put(
            "payment_settlements",
            "pay-card-1",
            Map.of("payment_id", "pay-card-1", "order_id", order, "status", "settled"),
            OptionalLong.empty());

    List<OutboxEntry> queue = new ArrayList<>();
    Outbox.Cursor cursor = Outbox.Cursor.START;
    while (true) {
      List<OutboxEntry> batch = edge.outbox().nextBatch(cursor, 100);
      if (batch.isEmpty()) {
        break;
      }
      queue.addAll(batch);
      cursor = Outbox.Cursor.after(batch.get(batch.size() - 1));
    }
    List<String> order_ = queue.stream().map(OutboxEntry::collection).toList();

    int lastMoney =
        Math.max(order_.lastIndexOf("payments"), order_.lastIndexOf("payment_settlements"));
    assertThat(lastMoney).isLessThan(order_.indexOf("orders"));
    assertThat(order_.indexOf("orders")).isLessThan(order_.indexOf("inventory_alerts"));
    assertThat(order_.get(order_.size() - 1)).isEqualTo("kitchen_tickets");
    assertThat(priority(queue, "payment_settlements")).isEqualTo(Priority.CRITICAL.rank());
    assertThat(priority(queue, "inventory_alerts")).isEqualTo(Priority.NORMAL.rank());
    assertThat(priority(queue, "kitchen_tickets")).isEqualTo(Priority.LOW.rank());
  }

  static int priority(List<OutboxEntry> queue, String collection) {
    return queue.stream()
        .filter(e -> e.collection().equals(collection))
        .findFirst()
        .orElseThrow(() -> new AssertionError(collection + " not queued"))
        .priority();
  }
}
