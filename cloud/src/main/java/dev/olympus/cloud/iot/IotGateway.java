package dev.olympus.cloud.iot;

import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.config.ConfigService;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.mqtt.BrokerSettings;
import dev.olympus.mqtt.EmbeddedBroker;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's IoT gateway, wired: the sensor registry, the telemetry store, the edges' batches, the
 * direct MQTT ingest (when {@link IotSettings#mqttUrl()} is set) and the retention job.
 */
public final class IotGateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IotGateway.class);
  private static final Duration ENGINE_TICK = Duration.ofSeconds(15);

  private final IotSettings settings;
  private final TelemetryStore telemetry;
  private final AlertLog alerts;
  private final IotDevices devices;
  private final DirectIngest direct;
  private final IotMetrics metrics;
  private final IotRoutes routes;
  private final Clock clock;
  private CloudMqtt mqtt;
  private final CloudBrokerLogins logins;
  private Path brokerDir;
  private EmbeddedBroker broker;
  private ScheduledExecutorService retention;

  private IotGateway(
      IotSettings settings,
      TelemetryStore telemetry,
      AlertLog alerts,
      IotDevices devices,
      DirectIngest direct,
      IotMetrics metrics,
      IotRoutes routes,
      Clock clock,
      CloudBrokerLogins logins) {
    this.logins = logins;
    this.settings = settings;
    this.telemetry = telemetry;
    this.alerts = alerts;
    this.devices = devices;
    this.direct = direct;
    this.metrics = metrics;
    this.routes = routes;
    this.clock = clock;
  }

  /** Wires the gateway; {@link #start()} connects MQTT and starts the jobs. */
  public static IotGateway create(
      Jdbi jdbi,
      IotSettings settings,
      Authenticator auth,
      Bodies bodies,
      Directory directory,
      ConfigService config,
      MeterRegistry registry,
      Clock clock) {
    return create(
        jdbi, settings, auth, bodies, directory, config, registry, clock, AlertListener.NONE);
  }

  /**
   * As {@link #create(Jdbi, IotSettings, Authenticator, Bodies, Directory, ConfigService,
   * MeterRegistry, Clock)}, with a listener for the alerts the cloud's engine decides.
   */
  public static IotGateway create(
      Jdbi jdbi,
      IotSettings settings,
      Authenticator auth,
      Bodies bodies,
      Directory directory,
      ConfigService config,
      MeterRegistry registry,
      Clock clock,
      AlertListener listener) {
    var telemetry = new TelemetryStore(jdbi);
    var alerts = new AlertLog(jdbi);
    var devices = new IotDevices(config, directory, new SecureRandom());
    var metrics = new IotMetrics(registry);
    var direct =
        new DirectIngest(
            jdbi, telemetry, alerts, devices, metrics, settings.alerts(), listener, clock);
    var batches =
        new EdgeBatches(
            jdbi, telemetry, alerts, devices, metrics, clock, settings.maxInflatedBytes());
    var routes =
        new IotRoutes(
            auth,
            bodies,
            new Bodies(settings.maxBatchBytes()),
            directory,
            devices,
            telemetry,
            alerts,
            batches,
            direct,
            clock);
    return new IotGateway(
        settings,
        telemetry,
        alerts,
        devices,
        direct,
        metrics,
        routes,
        clock,
        new CloudBrokerLogins(config, directory));
  }

  /** Where the embedded broker keeps its files; without one, no embedded broker starts. */
  public IotGateway useBrokerDir(Path dir) {
    this.brokerDir = dir;
    return this;
  }

  /** The embedded broker's port, or -1 when sensors do not publish to this cloud directly. */
  public int mqttPort() {
    return broker == null ? -1 : broker.port();
  }

  /** Connects to the MQTT broker when one is configured and starts the timers and retention. */
  public void start() {
    direct.startTicking(ENGINE_TICK);
    if (settings.mqttUrl() != null) {
      mqtt =
          CloudMqtt.connect(
              settings.mqttUrl(), settings.mqttUsername(), settings.mqttPassword(), direct);
    } else if (settings.mqttPort() != IotSettings.NO_BROKER && brokerDir != null) {
      // The embedded broker hands each message over in-process; the sensor's acknowledgement
      // waits until it is stored, as on the external broker's path.
      broker =
          EmbeddedBroker.start(
              new BrokerSettings("0.0.0.0", settings.mqttPort(), brokerDir),
              logins,
              (device, topic, payload, at, receipt) ->
                  direct.accept(topic, payload, receipt::stored));
    } else {
      log.info("IoT gateway: no MQTT broker, so no direct MQTT ingest (edge batches only)");
    }
    long every = settings.retentionInterval().toMillis();
    if (every > 0) {
      retention =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "olympus-iot-retention");
                t.setDaemon(true);
                return t;
              });
      retention.scheduleWithFixedDelay(
          () -> {
            try {
              runRetention();
            } catch (RuntimeException e) {
              log.warn("IoT retention failed; it runs again in {} ms", every, e);
            }
          },
          every,
          every,
          TimeUnit.MILLISECONDS);
    }
  }

  /** Deletes what is past retention now; what the periodic job runs. */
  public TelemetryStore.Retention runRetention() {
    long now = clock.millis();
    TelemetryStore.Retention r =
        telemetry.deleteOlderThan(
            now - settings.retentionRaw().toMillis(), now - settings.retentionRollup().toMillis());
    log.info(
        "IoT retention: {} raw readings, {} rollups, {} batch receipts deleted",
        r.rawDeleted(),
        r.rollupsDeleted(),
        r.batchesDeleted());
    return r;
  }

  public IotRoutes routes() {
    return routes;
  }

  public TelemetryStore telemetry() {
    return telemetry;
  }

  public AlertLog alerts() {
    return alerts;
  }

  public IotDevices devices() {
    return devices;
  }

  public DirectIngest direct() {
    return direct;
  }

  public IotMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    if (mqtt != null) {
      mqtt.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (retention != null) {
      retention.shutdownNow();
    }
    direct.close();
  }
}
