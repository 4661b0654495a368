package dev.olympus.edge.cli;

import dev.olympus.core.iot.AlertSettings;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.notify.NotifySettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code olympus edge start}: runs the edge until Ctrl-C or SIGTERM. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = "Starts the edge: LAN API for terminals, sync with the cloud. Runs until Ctrl-C.")
final class StartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;

  @Option(
      names = "--port",
      defaultValue = "8081",
      description = "LAN port for terminals (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "interface to listen on (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--mqtt-port",
      defaultValue = "1883",
      description =
          "the IoT hub's MQTT port for sensors (default: ${DEFAULT-VALUE}; 0: any free port;"
              + " -1: no hub)")
  int mqttPort;

  @Option(
      names = "--escalate-after-minutes",
      description =
          "minutes an unacknowledged critical IoT alert waits before it is sent again to the"
              + " manager (default: OLYMPUS_IOT_ESCALATE_AFTER_MINUTES, else 30)")
  Integer escalateAfterMinutes;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "10485760",
      description = "largest request body accepted (default: ${DEFAULT-VALUE})")
  long maxBodyBytes;

  /** The environment's alert settings, with the flag's escalation interval when given. */
  static AlertSettings alertSettings(Integer escalateAfterMinutes) {
    AlertSettings alerts = AlertSettings.fromEnv(System.getenv());
    return escalateAfterMinutes == null
        ? alerts
        : alerts.withEscalateAfterMinutes(escalateAfterMinutes);
  }

  @Override
  public Integer call() throws Exception {
    return EdgeCommand.run(
        spec,
        () -> {
          Path dir = dataDir.resolve();
          EdgeConfig c = EdgeConfig.load(dir);
          EdgeSettings settings =
              EdgeSettings.of(
                      dir,
                      URI.create(c.requireCloudUrl()),
                      c.requireApiKey(),
                      c.requireLocationId())
                  .withDeviceId(c.deviceId())
                  .withHost(host)
                  .withPort(port)
                  .withMaxBodyBytes(maxBodyBytes)
                  .withHeartbeatInterval(c.heartbeatInterval(System.getenv()))
                  .withFullSyncAfter(c.fullSyncAfter(System.getenv()))
                  .withPruneOrdersAfter(c.pruneOrdersAfter(System.getenv()))
                  .withPayments(EdgeConfig.payments(System.getenv()))
                  .withMqttPort(mqttPort)
                  .withAlerts(alertSettings(escalateAfterMinutes));
          EdgeServer server = EdgeServer.start(settings, NotifySettings.fromEnv());
          CountDownLatch stopped = new CountDownLatch(1);
          Thread hook =
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  },
                  "edge-shutdown");
          Runtime.getRuntime().addShutdownHook(hook);
          spec.commandLine()
              .getOut()
              .println(
                  "edge listening on http://"
                      + host
                      + ":"
                      + server.port()
                      + (server.mqttPort() > 0 ? ", MQTT on port " + server.mqttPort() : "")
                      + " (Ctrl-C stops)");
          spec.commandLine().getOut().flush();
          stopped.await();
          return 0;
        });
  }
}
