package dev.olympus.cloud.sync;

import dev.olympus.core.sync.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/** The sync service's meters, served on {@code /metrics}. */
public final class SyncMetrics {
  private final Map<Outcome, Counter> ops = new EnumMap<>(Outcome.class);
  private final Counter pushBatches;
  private final Counter pullRequests;
  private final Counter conflicts;
  private final Counter changesPulled;
  private final Timer pushTimer;

  public SyncMetrics(MeterRegistry registry) {
    for (Outcome o : Outcome.values()) {
      ops.put(
          o,
          Counter.builder("olympus.sync.ops")
              .description("Pushed ops by outcome")
              .tag("outcome", o.wireName())
              .register(registry));
    }
    pushBatches =
        Counter.builder("olympus.sync.push.batches")
            .description("Push requests applied")
            .register(registry);
    pullRequests =
        Counter.builder("olympus.sync.pull.requests")
            .description("Pull requests served")
            .register(registry);
    changesPulled =
        Counter.builder("olympus.sync.pull.changes")
            .description("Changes served by pulls")
            .register(registry);
    conflicts =
        Counter.builder("olympus.sync.conflicts")
            .description("Resolutions written to the conflict audit log")
            .register(registry);
    pushTimer =
        Timer.builder("olympus.sync.push.duration")
            .description("Time to apply one push batch")
            .register(registry);
  }

  void op(Outcome outcome) {
    ops.get(outcome).increment();
  }

  void ops(Outcome outcome, int count) {
    if (count > 0) {
      ops.get(outcome).increment(count);
    }
  }

  void pushBatch(long nanos) {
    pushBatches.increment();
    pushTimer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void pull(int changes) {
    pullRequests.increment();
    changesPulled.increment(changes);
  }

  void conflicts(int count) {
    if (count > 0) {
      conflicts.increment(count);
    }
  }
}
