package dev.olympus.edge.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiredTicketsTest {
  @TempDir Path dir;
  Database db;
  PrintQueue queue;
  final EscPosTicketEncoder encoder = new EscPosTicketEncoder(EscPosTicketEncoder.WIDTH_80MM);

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    queue = new PrintQueue(db.jdbi(), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    db.close();
  }

  List<String> fire(String fireId) {
    KitchenRoutes routes =
        KitchenRouter.fromConfig(KitchenRouterTest.CONFIG)
            .route(
                "dining",
                List.of(KitchenRouterTest.BURGER, KitchenRouterTest.BEER, KitchenRouterTest.FRIES));
    return db.jdbi()
        .inTransaction(
            h ->
                FiredTickets.enqueue(
                    h,
                    fireId,
                    routes,
                    (printerId, items) ->
                        new KitchenTicket("0007", "dine_in", printerId, "4", null, null, items),
                    encoder,
                    0));
  }

  @Test
  void enqueue_queuesOneTicketPerPrinterWithItsItems() {
    List<String> jobs = fire("order-1#1");

    assertThat(jobs).containsExactly("order-1#1/p-bar", "order-1#1/p-expo", "order-1#1/p-grill");
    String bar =
        new String(
            queue.find("order-1#1/p-bar").orElseThrow().payload(), StandardCharsets.ISO_8859_1);
    assertThat(bar).contains("#0007").contains("Station: p-bar").contains("1 x Beer");
    assertThat(bar).doesNotContain("Burger");
  }

  @Test
  void enqueue_sameFireIdAgain_queuesNothingNew() {
    fire("order-1#1");

    assertThat(fire("order-1#1")).isEmpty();
    assertThat(fire("order-1#2")).hasSize(3); // a deliberate re-fire
    assertThat(queue.pendingCount()).isEqualTo(6);
  }
}
