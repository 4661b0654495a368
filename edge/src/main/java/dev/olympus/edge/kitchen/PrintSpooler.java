package dev.olympus.edge.kitchen;

import dev.olympus.edge.background.BackgroundPass;
import dev.olympus.edge.syncer.Backoff;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued print jobs to their printers: in queue order per printer, printers side by side (so
 * a printer that is off holds up only its own tickets). When a printer fails, its oldest job waits
 * with exponential backoff and the jobs behind it wait too, keeping the order; a job is marked done
 * once written.
 */
public final class PrintSpooler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PrintSpooler.class);
  private static final int BATCH = 20;

  private final PrintQueue queue;
  private final PrinterClient client;
  private final Function<String, Optional<PrinterAddress>> printers;
  private final Backoff backoff;
  private final Clock clock;
  private final ReentrantLock passLock = new ReentrantLock();
  private final BackgroundPass background =
      new BackgroundPass("edge-print-spooler", this::drain, log, "print pass failed");

  /**
   * @param printers a printer's address by printer id, looked up at each send (from the {@code
   *     printers} config, so a corrected IP applies to queued jobs too)
   */
  public PrintSpooler(
      PrintQueue queue,
      PrinterClient client,
      Function<String, Optional<PrinterAddress>> printers,
      Backoff backoff,
      Clock clock) {
    this.queue = queue;
    this.client = client;
    this.printers = printers;
    this.backoff = backoff;
    this.clock = clock;
  }

  /** What one pass did. */
  public record Pass(int printed, int printersFailing) {}

  /** Sends every due job now. One pass at a time. */
  public Pass drain() {
    passLock.lock();
    try (ExecutorService perPrinter = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<int[]>> results = new ArrayList<>();
      for (String printerId : queue.printersWithPendingJobs()) {
        results.add(perPrinter.submit(() -> drainPrinter(printerId)));
      }
      int printed = 0;
      int failing = 0;
      for (Future<int[]> f : results) {
        try {
          int[] r = f.get();
          printed += r[0];
          failing += r[1];
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("print pass failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return new Pass(printed, failing);
    } finally {
      passLock.unlock();
    }
  }

  /** Returns {printed, 1 when the printer failed}. */
  private int[] drainPrinter(String printerId) {
    int printed = 0;
    while (true) {
      List<PrintJob> jobs = queue.pendingFor(printerId, BATCH);
      if (jobs.isEmpty()) {
        return new int[] {printed, 0};
      }
      for (PrintJob job : jobs) {
        if (job.nextAttemptAt() > clock.millis()) {
          return new int[] {printed, 1};
        }
        Optional<PrinterAddress> address = printers.apply(printerId);
        try {
          if (address.isEmpty()) {
            throw new IOException(
                "printer " + printerId + " is not configured or has no ip_address");
          }
          client.send(address.get(), job.payload());
        } catch (IOException e) {
          long wait = backoff.delay(job.attempts() + 1L).toMillis();
          queue.recordFailure(job, e.getMessage(), clock.millis() + wait);
          log.warn(
              "print job {} for printer {} failed (attempt {}), retrying in {} ms: {}",
              job.jobId(),
              printerId,
              job.attempts() + 1,
              wait,
              e.getMessage());
          return new int[] {printed, 1};
        }
        queue.markDone(job);
        printed++;
        log.info(
            "print job {} printed on {} ({} bytes){}",
            job.jobId(),
            printerId,
            job.payload().length,
            job.attempts() > 0 ? " after " + job.attempts() + " failed attempt(s)" : "");
      }
    }
  }

  /**
   * Runs a pass in the background every {@code interval} and whenever {@link #wake()} is called.
   */
  public void start(Duration interval) {
    background.start(interval);
  }

  /** Asks for a pass now, e.g. right after an order was fired. */
  public void wake() {
    background.wake();
  }

  @Override
  public void close() {
    background.close();
  }
}
