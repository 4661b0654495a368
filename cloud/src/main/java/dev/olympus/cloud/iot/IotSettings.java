package dev.olympus.cloud.iot;

import dev.olympus.core.iot.AlertSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How the cloud's IoT gateway runs.
 *
 * @param mqttUrl the broker to subscribe to ({@code tcp://host:port}), or null for no direct MQTT
 *     ingest
 * @param mqttUsername the broker login, or null
 * @param mqttPassword the broker password, or null
 * @param retentionRaw raw readings older than this are deleted (their rollups stay)
 * @param retentionRollup 5-minute and 1-hour rollups older than this are deleted
 * @param retentionInterval how often the retention job runs; zero: never (tests run it by hand)
 * @param maxBatchBytes an edge batch body above this (as sent, compressed or not) is refused (413)
 * @param maxInflatedBytes a gzip batch inflating past this is refused (413)
 * @param alerts the alert engine's durations and thresholds for directly ingested readings
 * @param mqttPort the embedded broker's port when no {@code mqttUrl} is set (0: any free port;
 *     {@link #NO_BROKER}: none)
 */
public record IotSettings(
    String mqttUrl,
    String mqttUsername,
    String mqttPassword,
    Duration retentionRaw,
    Duration retentionRollup,
    Duration retentionInterval,
    long maxBatchBytes,
    long maxInflatedBytes,
    AlertSettings alerts,
    int mqttPort) {
  public static final int DEFAULT_RETENTION_RAW_DAYS = 90;

  /** {@link #mqttPort()}: no embedded broker (the programmatic default). */
  public static final int NO_BROKER = -1;

  /** The embedded broker's port of {@code olympus cloud} when no {@code --mqtt-url} is given. */
  public static final int DEFAULT_MQTT_PORT = 1883;

  public static final int DEFAULT_RETENTION_ROLLUP_DAYS = 365;

  public IotSettings {
    Objects.requireNonNull(retentionRaw, "retentionRaw");
    Objects.requireNonNull(retentionRollup, "retentionRollup");
    Objects.requireNonNull(retentionInterval, "retentionInterval");
    Objects.requireNonNull(alerts, "alerts");
    if (retentionRaw.isNegative() || retentionRaw.isZero()) {
      throw new IllegalArgumentException("the raw retention must be positive, was " + retentionRaw);
    }
    if (retentionRollup.compareTo(retentionRaw) < 0) {
      throw new IllegalArgumentException(
          "the rollup retention ("
              + retentionRollup.toDays()
              + " days) must be at least the raw retention ("
              + retentionRaw.toDays()
              + " days)");
    }
  }

  /** No MQTT, 90 days raw, 1 year rollups, hourly retention, 8 MiB / 64 MiB batches. */
  public static IotSettings defaults() {
    return new IotSettings(
        null,
        null,
        null,
        Duration.ofDays(DEFAULT_RETENTION_RAW_DAYS),
        Duration.ofDays(DEFAULT_RETENTION_ROLLUP_DAYS),
        Duration.ofHours(1),
        8L * 1024 * 1024,
        64L * 1024 * 1024,
        AlertSettings.defaults(),
        NO_BROKER);
  }

  public IotSettings withMqtt(String url, String username, String password) {
    return with(
        c -> {
          c.mqttUrl = url;
          c.mqttUsername = username;
          c.mqttPassword = password;
        });
  }

  public IotSettings withRetention(Duration raw, Duration rollup, Duration interval) {
    return with(
        c -> {
          c.retentionRaw = raw;
          c.retentionRollup = rollup;
          c.retentionInterval = interval;
        });
  }

  public IotSettings withBatchLimits(long batchBytes, long inflatedBytes) {
    return with(
        c -> {
          c.maxBatchBytes = batchBytes;
          c.maxInflatedBytes = inflatedBytes;
        });
  }

  /**
   * Sensors publish to a broker in this process on {@code port} (0: any free port), unless {@link
   * #mqttUrl()} names an external broker to subscribe to instead.
   */
  public IotSettings withEmbeddedBroker(int port) {
    return with(c -> c.mqttPort = port);
  }

  /** The alert rules' parameters for the alerts the cloud decides itself (direct MQTT). */
  public IotSettings withAlerts(AlertSettings value) {
    return with(c -> c.alerts = value);
  }

  /** A copy of these settings with {@code change} applied; the record's checks run again. */
  private IotSettings with(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a settings record, mutable for one {@code with} call. */
  private static final class Copy {
    String mqttUrl;
    String mqttUsername;
    String mqttPassword;
    Duration retentionRaw;
    Duration retentionRollup;
    Duration retentionInterval;
    long maxBatchBytes;
    long maxInflatedBytes;
    AlertSettings alerts;
    int mqttPort;

    Copy(IotSettings s) {
      mqttUrl = s.mqttUrl;
      mqttUsername = s.mqttUsername;
      mqttPassword = s.mqttPassword;
      retentionRaw = s.retentionRaw;
      retentionRollup = s.retentionRollup;
      retentionInterval = s.retentionInterval;
      maxBatchBytes = s.maxBatchBytes;
      maxInflatedBytes = s.maxInflatedBytes;
      alerts = s.alerts;
      mqttPort = s.mqttPort;
    }

    IotSettings build() {
      return new IotSettings(
          mqttUrl,
          mqttUsername,
          mqttPassword,
          retentionRaw,
          retentionRollup,
          retentionInterval,
          maxBatchBytes,
          maxInflatedBytes,
          alerts,
          mqttPort);
    }
  }
}
