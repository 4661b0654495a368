package dev.olympus.cloud.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the config sync service runs.
 *
 * @param pushDebounce how long {@code config:updated} waits for more edits of a property, so a
 *     burst of admin edits sends one message with the last version
 * @param socketHeartbeat how often {@code /ws/service-host} sends heartbeats
 * @param compactionInterval how often the compaction job runs; zero turns it off
 * @param keepVersions compaction keeps at least this many latest versions of a property
 * @param keepAge and every version younger than this
 * @param metricsRetention heartbeat metrics older than this are dropped
 * @param metricsRowsPerHost and at most this many are kept per host
 */
public record ConfigSyncSettings(
    Duration pushDebounce,
    Duration socketHeartbeat,
    Duration compactionInterval,
    int keepVersions,
    Duration keepAge,
    Duration metricsRetention,
    int metricsRowsPerHost) {
  public ConfigSyncSettings {
    Objects.requireNonNull(pushDebounce, "pushDebounce");
    Objects.requireNonNull(socketHeartbeat, "socketHeartbeat");
    Objects.requireNonNull(compactionInterval, "compactionInterval");
    Objects.requireNonNull(keepAge, "keepAge");
    Objects.requireNonNull(metricsRetention, "metricsRetention");
    if (keepVersions < 0 || metricsRowsPerHost < 1) {
      throw new IllegalArgumentException(
          "keepVersions must be >= 0 and metricsRowsPerHost >= 1, were "
              + keepVersions
              + " and "
              + metricsRowsPerHost);
    }
  }

  /**
   * 250 ms debounce, 30 s socket heartbeat, hourly compaction keeping 1,000 versions and 30 days, 7
   * days of metrics (at most 20,160 rows per host: one every 30 s).
   */
  public static ConfigSyncSettings defaults() {
    return new ConfigSyncSettings(
        Duration.ofMillis(250),
        Duration.ofSeconds(30),
        Duration.ofHours(1),
        1_000,
        Duration.ofDays(30),
        Duration.ofDays(7),
        20_160);
  }

  public ConfigSyncSettings withPushDebounce(Duration value) {
    return new ConfigSyncSettings(
        value,
        socketHeartbeat,
        compactionInterval,
        keepVersions,
        keepAge,
        metricsRetention,
        metricsRowsPerHost);
  }

  public ConfigSyncSettings withCompactionInterval(Duration value) {
    return new ConfigSyncSettings(
        pushDebounce,
        socketHeartbeat,
        value,
        keepVersions,
        keepAge,
        metricsRetention,
        metricsRowsPerHost);
  }

  /** Compaction keeps the latest {@code versions} versions and every change younger than age. */
  public ConfigSyncSettings withKeep(int versions, Duration age) {
    return new ConfigSyncSettings(
        pushDebounce,
        socketHeartbeat,
        compactionInterval,
        versions,
        age,
        metricsRetention,
        metricsRowsPerHost);
  }

  public ConfigSyncSettings withMetricsRowsPerHost(int value) {
    return new ConfigSyncSettings(
        pushDebounce,
        socketHeartbeat,
        compactionInterval,
        keepVersions,
        keepAge,
        metricsRetention,
        value);
  }
}
