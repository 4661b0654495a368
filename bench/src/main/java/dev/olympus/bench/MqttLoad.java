package dev.olympus.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MQTT publishers for the IoT benchmarks: one connection per simulated sensor, each publishing
 * temperature readings on its own topic, either as fast as the broker takes them or paced to a
 * total rate. Every reading carries its send time as {@code ts}, so a consumer can tell the publish
 * → stored latency.
 */
final class MqttLoad implements AutoCloseable {
  /** One sensor: where it publishes and how it logs in (null username: anonymous). */
  record Sensor(String topic, String username, String password) {}

  /** At most this many unacknowledged QoS 1 publishes per connection. */
  private static final int IN_FLIGHT = 64;

  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
  private final List<Sensor> sensors;
  private final MqttQos qos;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  MqttLoad(String host, int port, List<Sensor> sensors, int qos) {
    this.sensors = sensors;
    this.qos = MqttQos.fromCode(qos);
    for (int i = 0; i < sensors.size(); i++) {
      Sensor s = sensors.get(i);
      var builder =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("bench-" + i + "-" + System.nanoTime())
              .serverHost(host)
              .serverPort(port)
              .buildAsync();
      var connect = builder.connectWith().cleanStart(true);
      if (s.username() != null) {
        connect =
            connect
                .simpleAuth()
                .username(s.username())
                .password(s.password().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth();
      }
      connect.send().join();
      clients.add(builder);
    }
  }

  /**
   * Publishes for {@code seconds}; {@code totalRate} readings per second over all sensors, or as
   * fast as the broker acknowledges when 0. Returns the readings sent.
   */
  long run(double seconds, int totalRate) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    long before = sent.get();
    for (int i = 0; i < clients.size(); i++) {
      Mqtt5AsyncClient client = clients.get(i);
      Sensor sensor = sensors.get(i);
      double perSensor = totalRate == 0 ? 0 : (double) totalRate / clients.size();
      Thread t =
          Thread.ofPlatform()
              .name("mqtt-load-" + i)
              .start(() -> publishUntil(client, sensor, end, perSensor));
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    return sent.get() - before;
  }

  private void publishUntil(Mqtt5AsyncClient client, Sensor sensor, long end, double rate) {
    Semaphore window = new Semaphore(IN_FLIGHT);
    long start = System.nanoTime();
    long n = 0;
    double value = 34.0;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (rate > 0) {
        long due = start + (long) (n * 1e9 / rate);
        if (due > now) {
          long wait = due - now;
          if (wait > 200_000) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait - 100_000);
          }
          continue;
        }
      }
      try {
        if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      value = value >= 37.9 ? 34.0 : value + 0.1;
      byte[] payload =
          String.format(
                  java.util.Locale.ROOT,
                  "{\"ts\":%d,\"value\":%.1f,\"unit\":\"F\"}",
                  System.currentTimeMillis(),
                  value)
              .getBytes(StandardCharsets.UTF_8);
      CompletableFuture<?> f =
          client.publishWith().topic(sensor.topic()).qos(qos).payload(payload).send();
      n++;
      f.whenComplete(
          (ok, error) -> {
            window.release();
            if (error == null) {
              sent.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          });
    }
    try {
      window.acquire(IN_FLIGHT);
      window.release(IN_FLIGHT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Publishes a backlog for the sensor at {@code index}: one reading every {@code stepMillis} from
   * {@code fromMillis} to {@code toMillis}, with those timestamps, as a sensor that was cut off
   * would replay it. Returns the readings acknowledged.
   */
  long publishBacklog(int index, long fromMillis, long toMillis, long stepMillis) {
    Semaphore window = new Semaphore(IN_FLIGHT);
    AtomicLong acked = new AtomicLong();
    for (long t = fromMillis; t < toMillis; t += stepMillis) {
      window.acquireUninterruptibly();
      publishOne(index, t, 34 + (t / stepMillis % 30) / 10.0)
          .whenComplete(
              (ok, error) -> {
                window.release();
                if (error == null) {
                  acked.incrementAndGet();
                }
              });
    }
    window.acquireUninterruptibly(IN_FLIGHT);
    window.release(IN_FLIGHT);
    return acked.get();
  }

  /** Publishes one reading of the sensor at {@code index}. */
  CompletableFuture<?> publishOne(int index, long tsMillis, double value) {
    byte[] payload =
        String.format(
                java.util.Locale.ROOT, "{\"ts\":%d,\"value\":%.1f,\"unit\":\"F\"}", tsMillis, value)
            .getBytes(StandardCharsets.UTF_8);
    return clients
        .get(index)
        .publishWith()
        .topic(sensors.get(index).topic())
        .qos(qos)
        .payload(payload)
        .send();
  }

  @Override
  public void close() {
    for (Mqtt5AsyncClient c : clients) {
      try {
        c.disconnect().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the benchmark is over; a client that does not say goodbye changes nothing
      }
    }
  }
}
