package dev.olympus.cloud.iot;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real Debian mosquitto on a free loopback port, and mosquitto_pub to publish to it. */
final class Mosquitto implements AutoCloseable {
  static final Path BROKER = Path.of("/usr/sbin/mosquitto");
  static final Path PUB = Path.of("/usr/bin/mosquitto_pub");

  final int port;
  private final Process process;

  private Mosquitto(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  static boolean installed() {
    return Files.isExecutable(BROKER) && Files.isExecutable(PUB);
  }

  static Mosquitto start(Path dir) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return startOn(dir, port);
  }

  static Mosquitto startOn(Path dir, int port) throws IOException {
    Path conf = dir.resolve("mosquitto-" + port + ".conf");
    Files.writeString(
        conf,
        "listener "
            + port
            + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
            + "max_queued_messages 100000\n");
    Process p =
        new ProcessBuilder(BROKER.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto-" + port + ".log").toFile())
            .start();
    int bound = port;
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              try (Socket s = new Socket("127.0.0.1", bound)) {
                return true;
              }
            });
    return new Mosquitto(port, p);
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Publishes one message at QoS 1 with mosquitto_pub and waits until it is sent. */
  void publish(String topic, String payload) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                PUB.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-q",
                "1",
                "-t",
                topic,
                "-m",
                payload));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "mosquitto_pub failed: " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }
}
