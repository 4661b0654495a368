package dev.olympus.edge.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.olympus.edge.TestEdges;
import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.syncer.Backoff;
import dev.olympus.edge.testing.ManualClock;
import dev.olympus.store.Database;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrintSpoolerTest {
  @TempDir Path dir;
  Database db;
  TestPrinter grill;
  TestPrinter bar;
  PrinterClient client = new PrinterClient(Duration.ofSeconds(2), Duration.ofSeconds(5));
  ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
  PrintQueue queue;

  @BeforeEach
  void open() throws IOException {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    queue = new PrintQueue(db.jdbi(), clock);
    grill = new TestPrinter();
    bar = new TestPrinter();
  }

  @AfterEach
  void close() throws IOException {
    client.close();
    grill.close();
    bar.close();
    db.close();
  }

  PrintSpooler spooler(Clock clock) {
    Map<String, PrinterAddress> printers = Map.of("grill", grill.address(), "bar", bar.address());
    return new PrintSpooler(
        queue,
        client,
        id -> Optional.ofNullable(printers.get(id)),
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), new Random(3)),
        clock);
  }

  static byte[] ticket(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void drain_printerOffThenOnAcrossARestart_everyTicketArrivesOnceInOrder() throws IOException {
    queue.enqueue("t1", "grill", ticket("ticket 1"));
    queue.enqueue("t2", "grill", ticket("ticket 2"));
    assertThat(spooler(clock).drain().printed()).isEqualTo(2);

    grill.turnOff();
    queue.enqueue("t3", "grill", ticket("ticket 3"));
    queue.enqueue("t4", "grill", ticket("ticket 4"));
    PrintSpooler.Pass off = spooler(clock).drain();
    assertThat(off.printed()).isZero();
    assertThat(off.printersFailing()).isEqualTo(1);
    PrintJob waiting = queue.find("t3").orElseThrow();
    assertThat(waiting.attempts()).isEqualTo(1);
    assertThat(waiting.lastError()).contains("cannot connect");
    assertThat(waiting.nextAttemptAt()).isGreaterThan(clock.millis());
    assertThat(queue.find("t4").orElseThrow().attempts()).isZero(); // waits behind t3

    // The edge restarts while the printer is still off; the queue is in the database.
    db.close();
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
    queue = new PrintQueue(db.jdbi(), clock);
    grill.turnOn();
    queue.enqueue("t5", "grill", ticket("ticket 5"));
    assertThat(spooler(clock).drain().printed()).isZero(); // t3 is still backing off

    clock.advance(Duration.ofSeconds(1));
    PrintSpooler.Pass on = spooler(clock).drain();

    assertThat(on.printed()).isEqualTo(3);
    assertThat(grill.receivedText())
        .containsExactly("ticket 1", "ticket 2", "ticket 3", "ticket 4", "ticket 5");
    assertThat(queue.pendingCount()).isZero();
    assertThat(queue.all()).allSatisfy(j -> assertThat(j.status()).isEqualTo(PrintJob.DONE));
  }

  @Test
  void drain_onePrinterOff_doesNotHoldUpAnother() throws IOException {
    grill.turnOff();
    queue.enqueue("g1", "grill", ticket("burger"));
    queue.enqueue("b1", "bar", ticket("beer"));

    PrintSpooler.Pass pass = spooler(clock).drain();

    assertThat(pass.printed()).isEqualTo(1);
    assertThat(bar.receivedText()).containsExactly("beer");
    assertThat(queue.find("g1").orElseThrow().status()).isEqualTo(PrintJob.PENDING);
  }

  @Test
  void enqueue_sameJobIdTwice_printsOnce() {
    assertThat(queue.enqueue("t1", "bar", ticket("once"))).isTrue();
    assertThat(queue.enqueue("t1", "bar", ticket("once"))).isFalse();

    spooler(clock).drain();

    assertThat(bar.receivedText()).containsExactly("once");
  }

  @Test
  void drain_unknownPrinter_waitsWithAnErrorNamingIt() {
    queue.enqueue("x1", "patio", ticket("salad"));

    spooler(clock).drain();

    PrintJob job = queue.find("x1").orElseThrow();
    assertThat(job.status()).isEqualTo(PrintJob.PENDING);
    assertThat(job.lastError()).contains("patio").contains("ip_address");
  }

  @Test
  void start_inTheBackground_printsEverythingInOrderOnceThePrinterIsBack() throws IOException {
    grill.turnOff();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      queue.enqueue("t" + i, "grill", ticket("ticket " + i));
      expected.add("ticket " + i);
    }
    queue = new PrintQueue(db.jdbi(), Clock.systemUTC());
    try (PrintSpooler spooler = spooler(Clock.systemUTC())) {
      spooler.start(Duration.ofMillis(50));
      // At least one failed attempt while the printer is off.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> queue.find("t1").orElseThrow().attempts() >= 1);
      grill.turnOn();

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> grill.receivedText().size() == expected.size());
    }
    assertThat(grill.receivedText()).containsExactlyElementsOf(expected);
    assertThat(queue.find("t1").orElseThrow().attempts()).isGreaterThan(1);
  }

  @Test
  void printerClient_refusedConnection_failsNamingThePrinter() {
    assertThatThrownBy(
            () ->
                client.send(
                    new PrinterAddress("127.0.0.1", TestEdges.DEAD_CLOUD.getPort()), ticket("x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1:1");
  }

  @Test
  void printerClient_printerThatStopsReading_hitsTheWriteTimeout() throws Exception {
    try (ServerSocket stuck = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        PrinterClient impatient =
            new PrinterClient(Duration.ofSeconds(2), Duration.ofMillis(300))) {
      List<Socket> held = new ArrayList<>();
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  held.add(stuck.accept()); // accepts, never reads
                } catch (IOException ignored) {
                  // closed at the end of the test
                }
              });
      byte[] huge = new byte[64 * 1024 * 1024]; // more than the socket buffers hold
      long start = System.nanoTime();

      assertThatThrownBy(
              () -> impatient.send(new PrinterAddress("127.0.0.1", stuck.getLocalPort()), huge))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("within 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void printerAddress_parse_defaultsToPort9100() {
    assertThat(PrinterAddress.parse("192.168.1.50"))
        .isEqualTo(new PrinterAddress("192.168.1.50", 9100));
    assertThat(PrinterAddress.parse(" 10.0.0.7:9101 "))
        .isEqualTo(new PrinterAddress("10.0.0.7", 9101));
    assertThatThrownBy(() -> PrinterAddress.parse("host:abc")).hasMessageContaining("host:abc");
    assertThatThrownBy(() -> PrinterAddress.parse(null)).hasMessageContaining("ip_address");
  }
}
