package dev.olympus.cloud.iot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gateway's counters on {@code /metrics}: readings accepted by source, duplicate batches, and
 * readings or messages rejected by reason ({@code olympus_iot_rejected_total{reason=…}}).
 */
public final class IotMetrics {
  private final MeterRegistry registry;
  private final Counter batches;
  private final Counter duplicateBatches;
  private final Counter acceptedEdge;
  private final Counter acceptedMqtt;
  private final Counter alertsForwarded;

  public IotMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.batches = Counter.builder("olympus_iot_batches").register(registry);
    this.duplicateBatches = Counter.builder("olympus_iot_duplicate_batches").register(registry);
    this.acceptedEdge =
        Counter.builder("olympus_iot_accepted").tag("source", "edge").register(registry);
    this.acceptedMqtt =
        Counter.builder("olympus_iot_accepted").tag("source", "mqtt").register(registry);
    this.alertsForwarded = Counter.builder("olympus_iot_edge_alerts").register(registry);
  }

  void batch(int accepted, int alerts) {
    batches.increment();
    acceptedEdge.increment(accepted);
    alertsForwarded.increment(alerts);
  }

  void duplicateBatch() {
    duplicateBatches.increment();
  }

  void acceptedMqtt(int n) {
    acceptedMqtt.increment(n);
  }

  /** Counts {@code n} readings or messages refused for {@code reason} (e.g. unknown_device). */
  void rejected(String reason, int n) {
    if (n > 0) {
      Counter.builder("olympus_iot_rejected").tag("reason", reason).register(registry).increment(n);
    }
  }

  /** The count of rejections for {@code reason} so far (tests read it). */
  public double rejectedCount(String reason) {
    Counter c = registry.find("olympus_iot_rejected").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }
}
