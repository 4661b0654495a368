package dev.olympus.cloud;

import dev.olympus.cloud.config.ConfigSyncSettings;
import dev.olympus.cloud.iot.IotSettings;
import dev.olympus.notify.NotifySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the cloud.
 *
 * @param host the address to listen on, e.g. {@code 0.0.0.0}
 * @param port the port; 0 picks a free one
 * @param dataDir where the SQLite database and the admin token file live
 * @param dbUrl a {@code jdbc:postgresql://…} or {@code jdbc:sqlite:…} URL, or null for SQLite in
 *     {@code dataDir/cloud.db}
 * @param maxBodyBytes request bodies above this are refused with 413
 * @param adminToken the admin token (from {@code OLYMPUS_ADMIN_TOKEN}), or null to use or create
 *     {@code dataDir/admin-token}
 * @param clock the wall clock, injected so tests control time
 * @param configSync the config sync service's timings and limits
 * @param iot the IoT gateway's MQTT broker, retention and batch limits
 * @param notifications the channels alert notifications go out on (SMS, e-mail, webhooks); none by
 *     default, {@link NotifySettings#fromEnv()} for {@code olympus cloud}
 * @param realtimeHeartbeat how often {@code /ws/sync} sends each device a heartbeat; a device
 *     silent for two of them is dropped (seed 002: 30 s)
 */
public record CloudSettings(
    String host,
    int port,
    Path dataDir,
    String dbUrl,
    long maxBodyBytes,
    String adminToken,
    Clock clock,
    ConfigSyncSettings configSync,
    IotSettings iot,
    NotifySettings notifications,
    Duration realtimeHeartbeat) {
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
  public static final Duration DEFAULT_REALTIME_HEARTBEAT = Duration.ofSeconds(30);

  public CloudSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(configSync, "configSync");
    Objects.requireNonNull(iot, "iot");
    Objects.requireNonNull(notifications, "notifications");
    Objects.requireNonNull(realtimeHeartbeat, "realtimeHeartbeat");
    if (realtimeHeartbeat.toMillis() < 10) {
      throw new IllegalArgumentException(
          "the WebSocket heartbeat must be at least 10 ms, was " + realtimeHeartbeat);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be at least 1024 (a push needs room), was " + maxBodyBytes);
    }
  }

  /** SQLite in {@code dataDir}, a random port on all interfaces, 10 MB bodies, system clock. */
  public static CloudSettings defaults(Path dataDir) {
    return new CloudSettings(
        "0.0.0.0",
        0,
        dataDir,
        null,
        DEFAULT_MAX_BODY_BYTES,
        null,
        Clock.systemUTC(),
        ConfigSyncSettings.defaults(),
        IotSettings.defaults(),
        NotifySettings.none(),
        DEFAULT_REALTIME_HEARTBEAT);
  }

  public CloudSettings withHost(String value) {
    return with(c -> c.host = value);
  }

  public CloudSettings withPort(int value) {
    return with(c -> c.port = value);
  }

  public CloudSettings withDbUrl(String value) {
    return with(c -> c.dbUrl = value);
  }

  public CloudSettings withMaxBodyBytes(long value) {
    return with(c -> c.maxBodyBytes = value);
  }

  public CloudSettings withAdminToken(String value) {
    return with(c -> c.adminToken = value);
  }

  public CloudSettings withConfigSync(ConfigSyncSettings value) {
    return with(c -> c.configSync = value);
  }

  public CloudSettings withClock(Clock value) {
    return with(c -> c.clock = value);
  }

  public CloudSettings withIot(IotSettings value) {
    return with(c -> c.iot = value);
  }

  public CloudSettings withNotifications(NotifySettings value) {
    return with(c -> c.notifications = value);
  }

  public CloudSettings withRealtimeHeartbeat(Duration value) {
    return with(c -> c.realtimeHeartbeat = value);
  }

  /** A copy of these settings with {@code change} applied; the record's checks run again. */
  private CloudSettings with(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a settings record, mutable for one {@code with} call. */
  private static final class Copy {
    String host;
    int port;
    Path dataDir;
    String dbUrl;
    long maxBodyBytes;
    String adminToken;
    Clock clock;
    ConfigSyncSettings configSync;
    IotSettings iot;
    NotifySettings notifications;
    Duration realtimeHeartbeat;

    Copy(CloudSettings s) {
      host = s.host;
      port = s.port;
      dataDir = s.dataDir;
      dbUrl = s.dbUrl;
      maxBodyBytes = s.maxBodyBytes;
      adminToken = s.adminToken;
      clock = s.clock;
      configSync = s.configSync;
      iot = s.iot;
      notifications = s.notifications;
      realtimeHeartbeat = s.realtimeHeartbeat;
    }

    CloudSettings build() {
      return new CloudSettings(
          host,
          port,
          dataDir,
          dbUrl,
          maxBodyBytes,
          adminToken,
          clock,
          configSync,
          iot,
          notifications,
          realtimeHeartbeat);
    }
  }
}
