package dev.olympus.edge.orders;

import dev.olympus.edge.store.RecordStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the edge's disk from filling with history (seed 004, "Data Pruning"): synced orders last
 * changed more than {@code pruneOrdersAfter} ago are removed from the local records with their
 * payments, once at start and then every hour, and the database gives the space back. The cloud
 * keeps them; anything not yet synced stays (see {@link RecordStore#forgetSyncedOrders}).
 */
public final class OrderRetention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrderRetention.class);

  /** How often pruning runs after the first run at start. */
  public static final Duration EVERY = Duration.ofHours(1);

  /** Orders per transaction: a terminal's write waits for one such transaction at most. */
  static final int CHUNK = 500;

  /**
   * Free pages (as a share of the file) above which a database without incremental auto-vacuum is
   * rebuilt once with {@code VACUUM}; below, SQLite reuses them for new writes anyway.
   */
  static final double VACUUM_FREE_SHARE = 0.25;

  /** SQLite's {@code PRAGMA auto_vacuum} value for INCREMENTAL. */
  private static final int AUTO_VACUUM_INCREMENTAL = 2;

  private final RecordStore records;
  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration pruneAfter;
  private ScheduledExecutorService timer;

  /**
   * @param jdbi the database of {@code records}, compacted after a pruning that removed something
   * @param pruneAfter how long after its last change a synced order is removed
   */
  public OrderRetention(RecordStore records, Jdbi jdbi, Clock clock, Duration pruneAfter) {
    this.records = records;
    this.jdbi = jdbi;
    this.clock = clock;
    this.pruneAfter = pruneAfter;
  }

  /** What one run removed and how much space the database gave back. */
  public record Run(RecordStore.Pruned pruned, String compaction, long millis) {}

  /** Prunes now: removes old synced orders and their payments, then compacts the database. */
  public Run prune() {
    long start = System.nanoTime();
    Instant cutoff = clock.instant().minus(pruneAfter);
    RecordStore.Pruned pruned = records.forgetSyncedOrders(cutoff, CHUNK);
    String compaction = pruned.orders() + pruned.parts() == 0 ? "not needed" : compact();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    log.info(
        "pruned {} synced orders and {} payments/settlements last changed before {} ({} days);"
            + " kept {} old orders with unsynced payments; database compaction: {}; {} ms",
        pruned.orders(),
        pruned.parts(),
        cutoff,
        pruneAfter.toDays(),
        pruned.kept(),
        compaction,
        millis);
    return new Run(pruned, compaction, millis);
  }

  /**
   * Gives freed pages back to the file system. The encrypted database is created with SQLite's
   * default {@code auto_vacuum=NONE}, where only {@code VACUUM} shrinks the file: the first time
   * much was freed it is rebuilt once with {@code auto_vacuum=INCREMENTAL}, and from then on each
   * run gives back its pages with {@code PRAGMA incremental_vacuum}, which is quick.
   */
  String compact() {
    return jdbi.withHandle(
        h -> {
          int mode = h.createQuery("PRAGMA auto_vacuum").mapTo(Integer.class).one();
          if (mode == AUTO_VACUUM_INCREMENTAL) {
            h.execute("PRAGMA incremental_vacuum");
            return "incremental_vacuum";
          }
          long pages = h.createQuery("PRAGMA page_count").mapTo(Long.class).one();
          long free = h.createQuery("PRAGMA freelist_count").mapTo(Long.class).one();
          if (pages == 0 || (double) free / pages < VACUUM_FREE_SHARE) {
            return free + " of " + pages + " pages free, left for reuse";
          }
          // VACUUM rewrites the file holding the writer's connection; it runs at most once, and
          // the file then shrinks incrementally.
          h.execute("PRAGMA auto_vacuum = INCREMENTAL");
          h.execute("VACUUM");
          return "VACUUM (" + free + " of " + pages + " pages were free), now incremental";
        });
  }

  /** Runs {@link #prune} now in the background, then every {@link #EVERY}. */
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("edge-order-retention").factory());
    timer.scheduleWithFixedDelay(this::pruneLogged, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pruneLogged() {
    try {
      prune();
    } catch (RuntimeException e) {
      // A failed run leaves everything as it was; the next one tries again.
      log.warn("pruning old synced orders failed; retrying in {} min", EVERY.toMinutes(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer = null;
    }
  }
}
