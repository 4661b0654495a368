package dev.olympus.edge.kitchen;

import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.syncer.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's kitchen printing, running: the print queue in the encrypted database and the spooler
 * that sends it to the printers of the {@code printers} config (looked up at each send, so a
 * corrected IP applies to queued tickets too).
 */
public final class KitchenPrinting implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KitchenPrinting.class);

  /** A pass at least this often, for printers that were off: a wake comes with each fire. */
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private final PrintQueue queue;
  private final PrinterClient client;
  private final PrintSpooler spooler;

  private KitchenPrinting(PrintQueue queue, PrinterClient client, PrintSpooler spooler) {
    this.queue = queue;
    this.client = client;
    this.spooler = spooler;
  }

  public static KitchenPrinting start(Jdbi jdbi, ConfigCache config, Clock clock, Random random) {
    PrintQueue queue = new PrintQueue(jdbi, clock);
    PrinterClient client = new PrinterClient(Duration.ofSeconds(3), Duration.ofSeconds(10));
    PrintSpooler spooler =
        new PrintSpooler(
            queue,
            client,
            printerId -> address(config, printerId),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random),
            clock);
    spooler.start(INTERVAL);
    return new KitchenPrinting(queue, client, spooler);
  }

  private static Optional<PrinterAddress> address(ConfigCache config, String printerId) {
    return config
        .find("printers", printerId)
        .flatMap(p -> p.text("ip_address"))
        .flatMap(
            ip -> {
              try {
                return Optional.of(PrinterAddress.parse(ip));
              } catch (IllegalArgumentException e) {
                log.warn("printer {}: {}", printerId, e.getMessage());
                return Optional.empty();
              }
            });
  }

  public PrintQueue queue() {
    return queue;
  }

  /** Asks the spooler for a pass now (tickets were just queued). */
  public void wake() {
    spooler.wake();
  }

  @Override
  public void close() {
    spooler.close();
    client.close();
  }
}
