package dev.olympus.edge.pos;

import dev.olympus.edge.syncer.QueueStatus;
import dev.olympus.edge.syncer.Syncer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The edge's Prometheus metrics: the queue by collection and in all, ops in review, the last
 * successful sync, time offline, orders held locally, cycles (all, successful, failed) and their
 * average time, pushed and pulled totals, online flag. Seed 001 names {@code edge.sync.queue_size},
 * {@code edge.sync.last_success}, {@code edge.offline.duration} and {@code edge.local.orders}; seed
 * 004 the total, successful and failed syncs and the average sync time. Queue sizes and offline
 * time are read from the database at each scrape, not tracked on every write.
 */
public final class EdgeMetrics {
  /** The {@code collection} tag of the queue's total, next to the per-collection series. */
  public static final String ALL_COLLECTIONS = "all";

  /** Counting orders reads every order's row: a scrape every few seconds reuses the last count. */
  static final Duration LOCAL_ORDERS_MAX_AGE = Duration.ofSeconds(15);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Supplier<QueueStatus> status;
  private final Clock clock;
  private final Map<String, AtomicLong> queueSizes = new ConcurrentHashMap<>();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong offlineSeconds = new AtomicLong();
  private final LongSupplier localOrders;
  private final AtomicLong localOrdersCount = new AtomicLong();
  private volatile long localOrdersReadAt = Long.MIN_VALUE;

  /**
   * @param status the sync queue panel's data (queue, ops in review, offline since), read per
   *     scrape
   * @param localOrders counts the orders held locally (tombstones not included)
   */
  public EdgeMetrics(
      Syncer syncer, Clock clock, Supplier<QueueStatus> status, LongSupplier localOrders) {
    this.status = status;
    this.clock = clock;
    this.localOrders = localOrders;
    FunctionCounter.builder("edge.sync.cycles", syncer, Syncer::cycles)
        .description("sync cycles started (total syncs)")
        .register(registry);
    FunctionCounter.builder("edge.sync.successes", syncer, Syncer::successes)
        .description("sync cycles that reached the cloud and finished (successful syncs)")
        .register(registry);
    FunctionCounter.builder("edge.sync.failures", syncer, Syncer::failures)
        .description("sync cycles that failed (failed syncs)")
        .register(registry);
    FunctionTimer.builder(
            "edge.sync.duration",
            syncer,
            Syncer::successes,
            Syncer::successMillisTotal,
            TimeUnit.MILLISECONDS)
        .description("time of the successful sync cycles (sum / count = average sync time)")
        .register(registry);
    Gauge.builder(
            "edge.sync.average_time_ms",
            syncer,
            s -> s.successes() == 0 ? 0 : (double) s.successMillisTotal() / s.successes())
        .description("average time of a successful sync cycle in ms, 0 before the first")
        .register(registry);
    FunctionCounter.builder("edge.sync.pushed.ops", syncer, Syncer::pushedTotal)
        .description("ops the cloud answered")
        .register(registry);
    FunctionCounter.builder("edge.sync.pulled.changes", syncer, Syncer::pulledTotal)
        .description("changes pulled from the cloud")
        .register(registry);
    Gauge.builder("edge.online", syncer, s -> s.online() ? 1 : 0)
        .description("1 when the last cycle reached the cloud")
        .register(registry);
    Gauge.builder(
            "edge.sync.last.success.age.seconds",
            syncer,
            s -> s.lastSuccessMillis() < 0 ? -1 : (clock.millis() - s.lastSuccessMillis()) / 1e3)
        .description("seconds since the last successful sync, -1 if never")
        .register(registry);
    Gauge.builder(
            "edge.sync.last_success",
            syncer,
            s -> s.lastSuccessMillis() < 0 ? 0 : s.lastSuccessMillis() / 1000)
        .description("epoch seconds of the last successful sync cycle, 0 if never")
        .register(registry);
    Gauge.builder("edge.offline.duration", offlineSeconds, AtomicLong::get)
        .description("seconds the edge has been offline, 0 while online")
        .register(registry);
    Gauge.builder("edge.local.orders", localOrdersCount, AtomicLong::get)
        .description("orders held in the edge's local records (synced ones are pruned when old)")
        .register(registry);
    Gauge.builder("edge.sync.dead.letters", deadLetters, AtomicLong::get)
        .description("ops the cloud sent to review")
        .register(registry);
    queueSize(ALL_COLLECTIONS);
  }

  /** The registry behind {@code /metrics}, for meters of other parts (the LAN WebSocket hub). */
  public io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition, with queue sizes, offline time and orders read now. */
  public String scrape() {
    QueueStatus s = status.get();
    queueSizes.values().forEach(v -> v.set(0));
    for (QueueStatus.Queued q : s.queued()) {
      queueSize(q.collection()).set(q.count());
    }
    // "all" is a collection name too: the total wins over a collection that happens to be named so.
    queueSize(ALL_COLLECTIONS).set(s.pendingCount());
    deadLetters.set(s.deadLetters());
    offlineSeconds.set(
        s.offline() && s.offlineSince() != null
            ? Math.max(0, (clock.millis() - s.offlineSince().toEpochMilli()) / 1000)
            : 0);
    long now = clock.millis();
    if (localOrdersReadAt == Long.MIN_VALUE
        || now - localOrdersReadAt >= LOCAL_ORDERS_MAX_AGE.toMillis()
        || now < localOrdersReadAt) {
      localOrdersCount.set(localOrders.getAsLong());
      localOrdersReadAt = now;
    }
    return registry.scrape();
  }

  /**
   * The gauge of one collection's queue, {@code edge_sync_queue_size{collection=…}}; the series
   * {@code collection="all"} is the whole queue (seed 001's {@code edge.sync.queue_size}).
   */
  private AtomicLong queueSize(String collection) {
    return queueSizes.computeIfAbsent(
        collection,
        name -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder("edge.sync.queue.size", v, AtomicLong::get)
              .tag("collection", name)
              .description(
                  "ops waiting in the outbox, per collection; collection=\"all\": the whole queue")
              .register(registry);
          return v;
        });
  }
}
