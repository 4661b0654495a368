package dev.olympus.edge.pos;

import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.outbox.QueueSnapshot;
import dev.olympus.edge.syncer.Syncer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's Prometheus metrics: outbox size by collection, dead letters, last sync age, cycles,
 * failures, pushed and pulled totals, online flag. Queue sizes are read from the database at each
 * scrape, not tracked on every write.
 */
public final class EdgeMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Outbox outbox;
  private final Map<String, AtomicLong> queueSizes = new ConcurrentHashMap<>();
  private final AtomicLong deadLetters = new AtomicLong();

  public EdgeMetrics(Outbox outbox, Syncer syncer, Clock clock) {
    this.outbox = outbox;
    FunctionCounter.builder("edge.sync.cycles", syncer, Syncer::cycles)
        .description("sync cycles started")
        .register(registry);
    FunctionCounter.builder("edge.sync.failures", syncer, Syncer::failures)
        .description("sync cycles that failed")
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
    Gauge.builder("edge.sync.dead.letters", deadLetters, AtomicLong::get)
        .description("ops the cloud sent to review")
        .register(registry);
  }

  /** The Prometheus text exposition, with queue sizes read now. */
  /** The registry behind {@code /metrics}, for meters of other parts (the LAN WebSocket hub). */
  public io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    QueueSnapshot snapshot = outbox.snapshot();
    queueSizes.values().forEach(v -> v.set(0));
    for (QueueSnapshot.CollectionCount c : snapshot.collections()) {
      queueSizes
          .computeIfAbsent(
              c.collection(),
              name -> {
                AtomicLong v = new AtomicLong();
                Gauge.builder("edge.sync.queue.size", v, AtomicLong::get)
                    .tag("collection", name)
                    .description("ops waiting in the outbox")
                    .register(registry);
                return v;
              })
          .set(c.count());
    }
    deadLetters.set(snapshot.deadLetters());
    return registry.scrape();
  }
}
