package dev.olympus.cloud;

import java.nio.file.Path;
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
    description = "Runs the Olympus cloud: sync, records API and admin API.")
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

  @Override
  public Integer call() throws InterruptedException {
    CloudSettings settings =
        CloudSettings.defaults(dataDir)
            .withPort(port)
            .withDbUrl(db)
            .withMaxBodyBytes(maxBodyBytes)
            .withAdminToken(System.getenv("OLYMPUS_ADMIN_TOKEN"));
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
        "cloud listening on http://0.0.0.0:{} (db: {})",
        server.port(),
        server.database().description());
    stopped.await();
    return 0;
  }
}
