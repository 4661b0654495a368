package dev.olympus.mqtt;

import java.util.concurrent.atomic.AtomicLong;

/** What the broker let in and what it refused, for {@code /metrics} and the logs. */
public final class BrokerStats {
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong refusedLogins = new AtomicLong();
  final AtomicLong refusedTopics = new AtomicLong();

  /** Messages handed to the sink. */
  public long accepted() {
    return accepted.get();
  }

  /** Connections refused: unknown device or wrong password. */
  public long refusedLogins() {
    return refusedLogins.get();
  }

  /** Publishes dropped because the topic is not the device's own. */
  public long refusedTopics() {
    return refusedTopics.get();
  }
}
