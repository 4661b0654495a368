package dev.olympus.edge.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.orders.OrderNumber;
import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.store.Database;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderNumbersTest {
  static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

  @TempDir Path dir;
  Database db;
  OrderNumbers numbers;

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    numbers = new OrderNumbers(db.jdbi());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void next_countsFromOnePerLocationAndBusinessDate() {
    assertThat(numbers.next("loc-1", TODAY).display()).isEqualTo("0001");
    assertThat(numbers.next("loc-1", TODAY).display()).isEqualTo("0002");
    assertThat(numbers.next("loc-2", TODAY).display()).isEqualTo("0001");
    assertThat(numbers.next("loc-1", TODAY.plusDays(1)).display()).isEqualTo("0001");
    assertThat(numbers.next("loc-1", TODAY).display()).isEqualTo("0003");
    assertThat(numbers.lastGiven("loc-1", TODAY)).isEqualTo(3);
  }

  @Test
  void next_afterARestart_continuesWhereItLeftOff() {
    numbers.next("loc-1", TODAY);
    numbers.next("loc-1", TODAY);
    db.close();

    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    OrderNumber after = new OrderNumbers(db.jdbi()).next("loc-1", TODAY);

    assertThat(after.sequence()).isEqualTo(3);
  }

  @Test
  void next_inARolledBackTransaction_givesTheNumberAgain() {
    try {
      db.jdbi()
          .useTransaction(
              h -> {
                OrderNumbers.next(h, "loc-1", TODAY);
                throw new IllegalStateException("order write failed");
              });
    } catch (IllegalStateException expected) {
      // the order was not written, so neither is its number
    }

    assertThat(numbers.next("loc-1", TODAY).sequence()).isEqualTo(1);
  }

  @Test
  void next_fromManyThreads_neverRepeatsAndLeavesNoGap() throws Exception {
    int threads = 8;
    int perThread = 50;
    ConcurrentLinkedQueue<Long> given = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < perThread; i++) {
                      given.add(numbers.next("loc-1", TODAY).sequence());
                    }
                  }));
    }
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }

    Set<Long> distinct = new TreeSet<>(given);
    assertThat(given).hasSize(threads * perThread);
    assertThat(distinct)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
  }
}
