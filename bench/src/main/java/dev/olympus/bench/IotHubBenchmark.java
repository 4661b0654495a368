package dev.olympus.bench;

import dev.olympus.cloud.CloudServer;
import dev.olympus.cloud.CloudSettings;
import dev.olympus.core.iot.AlertSettings;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.config.SyncKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * MQTT ingestion into the edge hub's durable store (issue 6). A cloud and an edge in this JVM; the
 * cloud registers {@code --sensors} temperature sensors, config sync brings them (and their
 * password hashes) to the edge, and one MQTT connection per sensor publishes readings to the hub
 * (QoS 1 by default: a reading is acknowledged once stored; {@code --qos 0}: no acknowledgement).
 *
 * <ul>
 *   <li>{@code --rate 0}: as fast as the hub acknowledges; the figure is readings per second that
 *       were stored (committed in {@code telemetry.db}) during the window.
 *   <li>{@code --rate N}: N readings per second; a reader polls {@code telemetry.db} every
 *       millisecond for new rows and takes now − the reading's {@code ts} (its send time) as the
 *       publish → queryable latency; meanwhile a LAN terminal asks a 24-hour telemetry query
 *       ({@code GET /api/v1/iot/devices/{id}/telemetry?period=24h}) over a day of stored readings
 *       every 100 ms.
 * </ul>
 *
 * <p>Run: {@code ./olympus bench iot-hub [--sensors 20] [--seconds 10] [--rate 0] [--runs 3] [--qos
 * 1]}.
 */
public final class IotHubBenchmark {
  private IotHubBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    int sensors = IotIngestBenchmark.intArg(a, "--sensors", 20);
    int seconds = IotIngestBenchmark.intArg(a, "--seconds", 10);
    int rate = IotIngestBenchmark.intArg(a, "--rate", 0);
    int runs = IotIngestBenchmark.intArg(a, "--runs", 3);
    int qos = IotIngestBenchmark.intArg(a, "--qos", 1);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Path dir = Files.createTempDirectory("olympus-bench-iot");
    String admin = "bench-admin-token";
    try (CloudServer cloud =
        CloudServer.start(
            CloudSettings.defaults(dir.resolve("cloud"))
                .withHost("127.0.0.1")
                .withAdminToken(admin))) {
      HttpClient http = HttpClient.newHttpClient();
      AdminApi api = new AdminApi(http, "http://127.0.0.1:" + cloud.port(), admin);
      api.send("POST", "/api/v1/admin/tenants", Map.of("id", "t1", "name", "Bench"));
      api.send(
          "POST", "/api/v1/admin/tenants/t1/locations", Map.of("id", "loc-1", "name", "Bench"));
      String edgeToken = api.registerDevice("t1", "loc-1", "edge-1", "olympus_edge");
      String posToken = api.registerDevice("t1", "loc-1", "pos-1", "pos_terminal");
      List<MqttLoad.Sensor> list = new ArrayList<>();
      for (int i = 0; i <= sensors; i++) {
        // the last one is the alert probe, outside the load
        String id = i < sensors ? "cooler-" + i : "probe";
        String password =
            api.send(
                    "POST",
                    "/api/v1/admin/tenants/t1/iot/devices",
                    Map.of(
                        "device_id",
                        id,
                        "device_type",
                        "temperature",
                        "location_id",
                        "loc-1",
                        "name",
                        "Cooler " + i,
                        "target_min",
                        32,
                        "target_max",
                        38,
                        "unit",
                        "F"))
                .get("mqtt_password")
                .asText();
        list.add(new MqttLoad.Sensor("olympus/t1/loc-1/sensors/temperature/" + id, id, password));
      }
      try (EdgeServer edge =
          EdgeServer.start(
              EdgeSettings.of(
                      dir.resolve("edge"),
                      URI.create("http://127.0.0.1:" + cloud.port()),
                      edgeToken,
                      "loc-1")
                  .withDeviceId("edge-1")
                  .withHost("127.0.0.1")
                  .withPort(0)
                  .withMqttPort(0)
                  .withBackgroundSync(false)
                  // the probe's alerts fire on the first reading out of range: the decision is
                  // the same as on the reading that completes a 10-minute duration
                  .withAlerts(
                      AlertSettings.defaults().withTemperatureMinDuration(Duration.ZERO)))) {
        edge.syncNow();
        edge.configSyncer().syncNow(SyncKind.FULL);
        Path db = dir.resolve("edge").resolve("telemetry.db");
        List<Double> figures = new ArrayList<>();
        MqttLoad.Sensor probeSensor = list.removeLast();
        try (MqttLoad load = new MqttLoad("127.0.0.1", edge.mqttPort(), list, qos);
            MqttLoad probe = new MqttLoad("127.0.0.1", edge.mqttPort(), List.of(probeSensor), 1)) {
          if (rate > 0) {
            preloadDay(edge, load);
          }
          load.run(2, rate == 0 ? 0 : rate); // warm-up
          for (int run = 1; run <= runs; run++) {
            if (rate == 0) {
              figures.add(throughput(edge, load, seconds));
              System.out.printf(
                  Locale.ROOT, "run %d: %,.0f readings/s stored%n", run, figures.getLast());
            } else {
              latency(edge, load, probe, db, seconds, rate, posToken, http);
            }
          }
        }
        if (rate == 0) {
          System.out.printf(
              Locale.ROOT,
              "edge hub, %d sensors, QoS %d: median %,.0f readings/s stored (runs %s)%n",
              sensors,
              qos,
              IotIngestBenchmark.median(figures),
              figures.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
        }
      }
    }
  }

  private static double throughput(EdgeServer edge, MqttLoad load, int seconds)
      throws InterruptedException {
    long before = edge.iot().storedCount();
    Map<String, Long> cpuBefore = cpuByThreadGroup();
    long start = System.nanoTime();
    long sent = load.run(seconds, 0);
    // what was sent in the window counts once it is stored; at QoS 0 the hub may have dropped
    // some (its queue full), so the wait ends when the count stops moving
    long last = edge.iot().storedCount();
    long lastMove = System.nanoTime();
    while (last - before < sent && System.nanoTime() - lastMove < 1_000_000_000L) {
      Thread.sleep(2);
      long now = edge.iot().storedCount();
      if (now != last) {
        last = now;
        lastMove = System.nanoTime();
      }
    }
    double elapsed = (lastMove - start) / 1e9;
    Map<String, Long> cpuAfter = cpuByThreadGroup();
    StringBuilder cpu = new StringBuilder("  CPU seconds by thread:");
    cpuAfter.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 50_000_000L)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e ->
                cpu.append(
                    String.format(Locale.ROOT, " %s %.1f;", e.getKey(), e.getValue() / 1e9)));
    System.out.println(cpu);
    return (last - before) / elapsed;
  }

  /** CPU time of this JVM's live threads, by name with the numbers taken out. */
  private static Map<String, Long> cpuByThreadGroup() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new java.util.HashMap<>();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu > 0) {
        out.merge(info.getThreadName().replaceAll("\\d+", "#"), cpu, Long::sum);
      }
    }
    return out;
  }

  /**
   * A day of readings of the first sensor, one every 10 s, replayed through MQTT with their
   * timestamps as after an outage, for the 24-hour query to read while the load runs.
   */
  private static void preloadDay(EdgeServer edge, MqttLoad load) throws InterruptedException {
    long before = edge.iot().storedCount();
    long now = System.currentTimeMillis();
    long sent = load.publishBacklog(0, now - 86_400_000L, now - 60_000, 10_000);
    while (edge.iot().storedCount() - before < sent) {
      Thread.sleep(10);
    }
  }

  private static void latency(
      EdgeServer edge,
      MqttLoad load,
      MqttLoad probe,
      Path db,
      int seconds,
      int rate,
      String posToken,
      HttpClient http)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    long[] latencies = new long[rate * seconds * 2];
    int[] count = {0};
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                      PreparedStatement max = c.prepareStatement("SELECT max(seq) FROM readings");
                      PreparedStatement rows =
                          c.prepareStatement("SELECT seq, ts FROM readings WHERE seq > ?")) {
                    long last;
                    try (ResultSet rs = max.executeQuery()) {
                      last = rs.next() ? rs.getLong(1) : 0;
                    }
                    while (running.get()) {
                      rows.setLong(1, last);
                      long now = System.currentTimeMillis();
                      try (ResultSet rs = rows.executeQuery()) {
                        while (rs.next()) {
                          last = rs.getLong(1);
                          if (count[0] < latencies.length) {
                            latencies[count[0]++] = now - rs.getLong(2);
                          }
                        }
                      }
                      Thread.sleep(1);
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    List<Long> queries = new ArrayList<>();
    Thread querier =
        Thread.ofPlatform()
            .start(
                () -> {
                  HttpRequest q =
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:"
                                      + edge.port()
                                      + "/api/v1/iot/devices/cooler-0/telemetry?period=24h"))
                          .header("Authorization", "Bearer " + posToken)
                          .build();
                  while (running.get()) {
                    try {
                      long t0 = System.nanoTime();
                      HttpResponse<String> r = http.send(q, HttpResponse.BodyHandlers.ofString());
                      if (r.statusCode() == 200) {
                        queries.add((System.nanoTime() - t0) / 1000);
                      }
                      Thread.sleep(100);
                    } catch (Exception e) {
                      return;
                    }
                  }
                });
    // The probe goes out of range and back every 100 ms: an alert raised and resolved each time.
    // The out-of-range reading's PUBACK comes back once the batch holding it, and the alert it
    // raised, is committed: publish → PUBACK is this run's decision time, seen from the sensor.
    List<Long> decided = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread prober =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    while (running.get()) {
                      long t0 = System.nanoTime();
                      probe.publishOne(0, System.currentTimeMillis(), 45.0).join();
                      decided.add((System.nanoTime() - t0) / 1000);
                      Thread.sleep(50);
                      probe.publishOne(0, System.currentTimeMillis(), 34.0).join();
                      Thread.sleep(50);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    long sent = load.run(seconds, rate);
    Thread.sleep(500);
    running.set(false);
    reader.join();
    querier.join();
    prober.join();
    long[] l = Arrays.copyOf(latencies, count[0]);
    Arrays.sort(l);
    long[] q = queries.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "%,d readings/s for %d s: %,d sent, %,d seen; publish → queryable p50 %d ms, p99 %d ms,"
            + " max %d ms; 24 h query p50 %.1f ms, p95 %.1f ms (%d queries)%n",
        rate,
        seconds,
        sent,
        l.length,
        pct(l, 50),
        pct(l, 99),
        l.length == 0 ? 0 : l[l.length - 1],
        pct(q, 50) / 1000.0,
        pct(q, 95) / 1000.0,
        q.length);
    long[] d = decided.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "  alert decision this run (out-of-range reading published → stored with its alert,"
            + " PUBACK back): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d alerts)%n",
        pct(d, 50) / 1000.0,
        pct(d, 99) / 1000.0,
        d.length == 0 ? 0 : d[d.length - 1] / 1000.0,
        d.length);
    var decisions = edge.iot().alertDecisions().takeSnapshot();
    double p50 = 0;
    double p99 = 0;
    for (var v : decisions.percentileValues()) {
      if (v.percentile() == 0.5) {
        p50 = v.value(java.util.concurrent.TimeUnit.MILLISECONDS);
      } else if (v.percentile() == 0.99) {
        p99 = v.value(java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  the hub's olympus_iot_alert_decision (arrival → alert stored and published), runs so far:"
            + " p50 %.1f ms,"
            + " p99 %.1f ms, max %.1f ms (%d alerts)%n",
        p50,
        p99,
        decisions.max(java.util.concurrent.TimeUnit.MILLISECONDS),
        decisions.count());
  }

  private static long pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
