package dev.olympus.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MQTT ingestion (issue 6). The reference: Debian's mosquitto passing the same readings from {@code
 * --sensors} publishers to one subscriber, storing nothing. Each run publishes as fast as the
 * broker acknowledges for {@code --seconds}; the figure is readings per second that reached the
 * subscriber. The Olympus side of the comparison (readings per second into the edge hub's durable
 * store) is the hub benchmark.
 *
 * <p>Run: {@code ./olympus bench mqtt-reference [--sensors 8] [--seconds 10] [--runs 3] [--qos 1]}.
 */
public final class IotIngestBenchmark {
  private IotIngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    int sensors = intArg(a, "--sensors", 8);
    double seconds = intArg(a, "--seconds", 10);
    int runs = intArg(a, "--runs", 3);
    int qos = intArg(a, "--qos", 1);
    Path broker = Path.of("/usr/sbin/mosquitto");
    if (!Files.isExecutable(broker)) {
      System.err.println(
          "mqtt-reference: Debian's mosquitto is not installed (apt-get install mosquitto)");
      System.exit(2);
    }
    List<Double> rates = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      rates.add(mosquittoRun(broker, sensors, seconds, qos));
      System.out.printf(
          Locale.ROOT, "run %d: mosquitto passed %,.0f readings/s%n", run, rates.getLast());
    }
    System.out.printf(
        Locale.ROOT,
        "mosquitto pass-through, %d sensors, QoS %d: median %,.0f readings/s (runs %s)%n",
        sensors,
        qos,
        median(rates),
        rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
  }

  /** One run against a fresh mosquitto: readings per second received by the subscriber. */
  static double mosquittoRun(Path broker, int sensors, double seconds, int qos) throws Exception {
    Path dir = Files.createTempDirectory("olympus-bench-mosquitto");
    int port = freePort();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        "listener "
            + port
            + " 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n");
    Process p =
        new ProcessBuilder(broker.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    try {
      waitForPort(port);
      // The publishers use the run's QoS; the subscriber takes QoS 0, as the hub's store takes
      // what the broker accepted without a second acknowledgement on the way.
      MqttLoad.Subscriber sub = new MqttLoad.Subscriber("127.0.0.1", port, "olympus/#", 0);
      AtomicLong received = sub.received;
      List<MqttLoad.Sensor> list = new ArrayList<>();
      for (int i = 0; i < sensors; i++) {
        list.add(
            new MqttLoad.Sensor("olympus/t1/loc-1/sensors/temperature/bench-" + i, null, null));
      }
      try (MqttLoad load = new MqttLoad("127.0.0.1", port, list, qos)) {
        load.run(1, 0); // warm-up
        long startCount = received.get();
        long start = System.nanoTime();
        long sent = load.run(seconds, 0);
        // what was sent in the window and is still on its way counts when it arrives
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.get() - startCount < sent && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return (received.get() - startCount) / elapsed;
      } finally {
        sub.close();
      }
    } finally {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void waitForPort(int port) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      try (var s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(25);
      }
    }
    throw new IllegalStateException("the broker did not listen on port " + port);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static int intArg(List<String> args, String name, int fallback) {
    int i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.size()) {
      return fallback;
    }
    try {
      return Integer.parseInt(args.get(i + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was " + args.get(i + 1));
    }
  }
}
