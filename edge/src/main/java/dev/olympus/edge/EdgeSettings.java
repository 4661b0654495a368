package dev.olympus.edge;

import dev.olympus.core.iot.AlertSettings;
import dev.olympus.edge.payments.PaymentSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * How to run an edge.
 *
 * @param dataDir where {@code edge.db} (and the CLI's {@code edge.json}) live
 * @param cloudUrl the cloud's base URL
 * @param apiKey the edge's device token (an {@code olympus_edge} device of its location); it also
 *     keys the local database
 * @param locationId the restaurant this edge serves
 * @param deviceId the edge's device id, its node id in version ties; null: {@code edge-<location>}
 * @param host the LAN interface to listen on
 * @param port the LAN port, 0 for any free port
 * @param maxBodyBytes the largest request body accepted on the LAN
 * @param clock the wall clock (versions, ages, offline times)
 * @param random jitter for backoff and op ids
 * @param debounce how long after a local write the push starts
 * @param backgroundSync whether sync cycles and the pruning of old orders run on their own (off in
 *     tests that call syncNow and prune)
 * @param requestTimeout how long one request to the cloud may take
 * @param heartbeatInterval how often the edge reports its health to the cloud's service-host
 *     heartbeat and learns the property's latest config version (seed 003: 30 s)
 * @param fullSyncAfter how old the last successful config sync may be before the next one rebuilds
 *     the cache with a full sync instead of a delta (seed 003: 24 h)
 * @param payments offline card limits and the card processor queued payments settle through
 * @param pruneOrdersAfter how long after their last change synced orders (with their payments) are
 *     removed from the edge's local records, hourly and once at start (seed 004: 30 days); the
 *     cloud keeps them
 * @param mqttPort the IoT hub's MQTT port for the restaurant's sensors (0: any free port; {@link
 *     #NO_MQTT}: no hub, the programmatic default; {@code olympus edge start} uses 1883)
 * @param alerts the IoT alert rules' durations and thresholds, escalation included
 */
public record EdgeSettings(
    Path dataDir,
    URI cloudUrl,
    String apiKey,
    String locationId,
    String deviceId,
    String host,
    int port,
    long maxBodyBytes,
    Clock clock,
    Random random,
    Duration debounce,
    boolean backgroundSync,
    Duration requestTimeout,
    Duration heartbeatInterval,
    Duration fullSyncAfter,
    PaymentSettings payments,
    Duration pruneOrdersAfter,
    int mqttPort,
    AlertSettings alerts) {

  /** Synced orders last changed longer ago than this are removed from the local records. */
  public static final Duration DEFAULT_PRUNE_ORDERS_AFTER = Duration.ofDays(30);

  public static final int DEFAULT_PORT = 8081;

  /** {@link #mqttPort()} when the edge runs without its IoT hub (the programmatic default). */
  public static final int NO_MQTT = -1;

  /** The MQTT port of {@code olympus edge start}. */
  public static final int DEFAULT_MQTT_PORT = 1883;

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_FULL_SYNC_AFTER = Duration.ofHours(24);
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
  static final Pattern LOCATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public EdgeSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(cloudUrl, "cloudUrl");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(debounce, "debounce");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(fullSyncAfter, "fullSyncAfter");
    Objects.requireNonNull(payments, "payments");
    Objects.requireNonNull(pruneOrdersAfter, "pruneOrdersAfter");
    Objects.requireNonNull(alerts, "alerts");
    if (pruneOrdersAfter.isNegative() || pruneOrdersAfter.isZero()) {
      throw new IllegalArgumentException(
          "the age after which synced orders are pruned must be positive, was " + pruneOrdersAfter);
    }
    if (heartbeatInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "heartbeat interval must be at least 10 ms, was " + heartbeatInterval);
    }
    if (fullSyncAfter.isNegative() || fullSyncAfter.isZero()) {
      throw new IllegalArgumentException("full sync age must be positive, was " + fullSyncAfter);
    }
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException(
          "no api key set: run ./olympus edge config set --api-key TOKEN");
    }
    if (locationId == null || !LOCATION_ID.matcher(locationId).matches()) {
      throw new IllegalArgumentException(
          "location id '"
              + locationId
              + "' is not valid: run ./olympus edge config set --location-id L (letters, digits,"
              + " . _ : -)");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0-65535, was " + port);
    }
    if (mqttPort < NO_MQTT || mqttPort > 65_535) {
      throw new IllegalArgumentException(
          "the MQTT port must be 0-65535 (0: any free port), or -1 for no IoT hub, was "
              + mqttPort);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1024, was " + maxBodyBytes);
    }
    host = host == null ? "0.0.0.0" : host;
  }

  /**
   * Defaults: all interfaces, port 8081, 10 MB bodies, system clock, background sync on, heartbeat
   * every 30 s, full config sync after 24 h, {@link PaymentSettings#defaults()}, synced orders
   * pruned 30 days after their last change.
   */
  public static EdgeSettings of(Path dataDir, URI cloudUrl, String apiKey, String locationId) {
    return new EdgeSettings(
        dataDir,
        cloudUrl,
        apiKey,
        locationId,
        null,
        "0.0.0.0",
        DEFAULT_PORT,
        DEFAULT_MAX_BODY_BYTES,
        Clock.systemUTC(),
        new Random(),
        Duration.ofMillis(50),
        true,
        Duration.ofSeconds(60),
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_FULL_SYNC_AFTER,
        PaymentSettings.defaults(),
        DEFAULT_PRUNE_ORDERS_AFTER,
        NO_MQTT,
        AlertSettings.defaults());
  }

  public EdgeSettings withPort(int newPort) {
    return with(c -> c.port = newPort);
  }

  public EdgeSettings withHost(String newHost) {
    return with(c -> c.host = newHost);
  }

  public EdgeSettings withDeviceId(String newDeviceId) {
    return with(c -> c.deviceId = newDeviceId);
  }

  public EdgeSettings withMaxBodyBytes(long bytes) {
    return with(c -> c.maxBodyBytes = bytes);
  }

  public EdgeSettings withClock(Clock newClock) {
    return with(c -> c.clock = newClock);
  }

  public EdgeSettings withRandom(Random newRandom) {
    return with(c -> c.random = newRandom);
  }

  public EdgeSettings withBackgroundSync(boolean on) {
    return with(c -> c.backgroundSync = on);
  }

  public EdgeSettings withRequestTimeout(Duration timeout) {
    return with(c -> c.requestTimeout = timeout);
  }

  /** How often the edge reports its health to the cloud and learns the latest config version. */
  public EdgeSettings withHeartbeatInterval(Duration interval) {
    return with(c -> c.heartbeatInterval = interval);
  }

  /** How old the last config sync may be before the next one is a full sync. */
  public EdgeSettings withFullSyncAfter(Duration age) {
    return with(c -> c.fullSyncAfter = age);
  }

  /** Offline card limits and the card processor. */
  public EdgeSettings withPayments(PaymentSettings newPayments) {
    return with(c -> c.payments = newPayments);
  }

  /** How long after their last change synced orders are pruned from the local records. */
  public EdgeSettings withPruneOrdersAfter(Duration age) {
    return with(c -> c.pruneOrdersAfter = age);
  }

  /**
   * The IoT hub's MQTT port: sensors publish there (0: any free port, {@link #NO_MQTT}: no hub).
   */
  public EdgeSettings withMqttPort(int port) {
    return with(c -> c.mqttPort = port);
  }

  /** The IoT alert rules' parameters (escalation interval, durations, thresholds). */
  public EdgeSettings withAlerts(AlertSettings newAlerts) {
    return with(c -> c.alerts = newAlerts);
  }

  /** A copy of these settings with {@code change} applied; the record's checks run again. */
  private EdgeSettings with(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a settings record, mutable for one {@code with} call. */
  private static final class Copy {
    Path dataDir;
    URI cloudUrl;
    String apiKey;
    String locationId;
    String deviceId;
    String host;
    int port;
    long maxBodyBytes;
    Clock clock;
    Random random;
    Duration debounce;
    boolean backgroundSync;
    Duration requestTimeout;
    Duration heartbeatInterval;
    Duration fullSyncAfter;
    PaymentSettings payments;
    Duration pruneOrdersAfter;
    int mqttPort;
    AlertSettings alerts;

    Copy(EdgeSettings s) {
      dataDir = s.dataDir;
      cloudUrl = s.cloudUrl;
      apiKey = s.apiKey;
      locationId = s.locationId;
      deviceId = s.deviceId;
      host = s.host;
      port = s.port;
      maxBodyBytes = s.maxBodyBytes;
      clock = s.clock;
      random = s.random;
      debounce = s.debounce;
      backgroundSync = s.backgroundSync;
      requestTimeout = s.requestTimeout;
      heartbeatInterval = s.heartbeatInterval;
      fullSyncAfter = s.fullSyncAfter;
      payments = s.payments;
      pruneOrdersAfter = s.pruneOrdersAfter;
      mqttPort = s.mqttPort;
      alerts = s.alerts;
    }

    EdgeSettings build() {
      return new EdgeSettings(
          dataDir,
          cloudUrl,
          apiKey,
          locationId,
          deviceId,
          host,
          port,
          maxBodyBytes,
          clock,
          random,
          debounce,
          backgroundSync,
          requestTimeout,
          heartbeatInterval,
          fullSyncAfter,
          payments,
          pruneOrdersAfter,
          mqttPort,
          alerts);
    }
  }
}
