package dev.olympus.cloud;

import dev.olympus.cloud.iot.IotSettings;
import dev.olympus.core.iot.AlertSettings;
import dev.olympus.notify.NotifySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code olympus cloud}: runs the cloud service until SIGTERM or Ctrl-C. */
@Command(
    name = "cloud",
    mixinStandardHelpOptions = true,
    description = "Runs the Olympus cloud: sync, records API, admin API and IoT gateway.")
public final class CloudCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(CloudCommand.class);

  @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE})")
  int port = 8080;

  @Option(
      names = "--data-dir",
      description = "Where the SQLite database and admin token live (default: ${DEFAULT-VALUE})")
  Path dataDir = Path.of("data", "cloud");

  @Option(
      names = "--db",
      description =
          "Database JDBC URL: jdbc:postgresql://host:port/db?user=…&password=… (default: SQLite"
              + " in the data dir)")
  String db;

  @Option(
      names = "--max-body-bytes",
      description = "Largest request body accepted (default: ${DEFAULT-VALUE})")
  long maxBodyBytes = CloudSettings.DEFAULT_MAX_BODY_BYTES;

  @Option(
      names = "--ws-heartbeat-seconds",
      description =
          "Seconds between heartbeats on /ws/sync; a device silent for two is dropped (default:"
              + " ${DEFAULT-VALUE})")
  double wsHeartbeatSeconds = CloudSettings.DEFAULT_REALTIME_HEARTBEAT.toSeconds();

  @Option(
      names = "--mqtt-url",
      description =
          "MQTT broker the IoT gateway subscribes to for sensor readings, tcp://host:port"
              + " (default: none, edge batches only)")
  String mqttUrl;

  @Option(
      names = "--mqtt-port",
      description =
          "Port of the embedded MQTT broker sensors publish to, when no --mqtt-url is given"
              + " (default: ${DEFAULT-VALUE}; 0: any free port; -1: none)")
  int mqttPort = IotSettings.DEFAULT_MQTT_PORT;

  @Option(names = "--mqtt-username", description = "Login at the --mqtt-url broker")
  String mqttUsername;

  @Option(
      names = "--mqtt-password",
      description = "Password at the --mqtt-url broker (or OLYMPUS_MQTT_PASSWORD)")
  String mqttPassword;

  @Option(
      names = "--retention-raw-days",
      description = "Days raw IoT readings are kept (default: ${DEFAULT-VALUE})")
  int retentionRawDays = IotSettings.DEFAULT_RETENTION_RAW_DAYS;

  @Option(
      names = "--retention-rollup-days",
      description = "Days 5-minute and 1-hour IoT rollups are kept (default: ${DEFAULT-VALUE})")
  int retentionRollupDays = IotSettings.DEFAULT_RETENTION_ROLLUP_DAYS;

  @Option(
      names = "--escalate-after-minutes",
      description =
          "Minutes an unacknowledged critical IoT alert waits before it is sent again"
              + " (default: OLYMPUS_IOT_ESCALATE_AFTER_MINUTES, else 30)")
  Integer escalateAfterMinutes;

  @Override
  public Integer call() throws InterruptedException {
    NotifySettings notify;
    AlertSettings alerts;
    if (!(wsHeartbeatSeconds >= 0.01 && wsHeartbeatSeconds <= 3600)) {
      System.err.println(
          "olympus cloud: --ws-heartbeat-seconds must be between 0.01 and 3600, was "
              + wsHeartbeatSeconds);
      return 2;
    }
    try {
      notify = NotifySettings.fromEnv();
      alerts = AlertSettings.fromEnv(System.getenv());
      if (escalateAfterMinutes != null) {
        alerts = alerts.withEscalateAfterMinutes(escalateAfterMinutes);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("olympus cloud: " + e.getMessage());
      return 2;
    }
    CloudSettings settings =
        CloudSettings.defaults(dataDir)
            .withPort(port)
            .withDbUrl(db)
            .withMaxBodyBytes(maxBodyBytes)
            .withRealtimeHeartbeat(Duration.ofMillis(Math.round(wsHeartbeatSeconds * 1000)))
            .withAdminToken(System.getenv("OLYMPUS_ADMIN_TOKEN"))
            .withIot(
                IotSettings.defaults()
                    .withMqtt(
                        mqttUrl,
                        mqttUsername,
                        mqttPassword != null
                            ? mqttPassword
                            : System.getenv("OLYMPUS_MQTT_PASSWORD"))
                    .withEmbeddedBroker(mqttPort)
                    .withRetention(
                        Duration.ofDays(retentionRawDays),
                        Duration.ofDays(retentionRollupDays),
                        IotSettings.defaults().retentionInterval())
                    .withAlerts(alerts))
            .withNotifications(notify);
    CloudServer server = CloudServer.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("cloud stopping");
                  server.close();
                  stopped.countDown();
                },
                "cloud-shutdown"));
    log.info(
        "cloud listening on http://0.0.0.0:{} (db: {}){}",
        server.port(),
        server.database().description(),
        server.iot().mqttPort() > 0 ? ", MQTT on port " + server.iot().mqttPort() : "");
    stopped.await();
    return 0;
  }
}
