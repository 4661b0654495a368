package dev.olympus.demo;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.olympus.core.iot.EquipmentStatusTopic;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.core.iot.SensorTopic;
import dev.olympus.core.iot.Topic;
import dev.olympus.core.iot.TopicException;
import dev.olympus.core.iot.Topics;
import dev.olympus.core.iot.sim.SimulatedMessage;
import dev.olympus.core.iot.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A restaurant's simulated sensors ({@link Simulation}), each logged in to its edge's MQTT hub with
 * the credentials the cloud's registry gave it. They start with the last 45 minutes they "buffered"
 * (published with their original timestamps, as a sensor catching up after a network blip would),
 * so the demo shows a failing cooler's alert at once, then publish live every second.
 */
final class SimulatedSensors implements AutoCloseable {
  static final Duration BACKLOG = Duration.ofMinutes(45);

  private final Simulation simulation;
  private final Map<String, String> passwords;
  private final Map<String, Mqtt5BlockingClient> clients = new HashMap<>();
  final AtomicLong published = new AtomicLong();

  SimulatedSensors(Simulation simulation, Map<String, String> passwords) {
    this.simulation = simulation;
    this.passwords = passwords;
  }

  Iterable<IotDevice> devices() {
    return simulation.devices();
  }

  /** Logs every sensor in to the hub on {@code port}. */
  void connect(int port) {
    for (IotDevice d : simulation.devices()) {
      Mqtt5BlockingClient c =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("sim-" + d.locationId() + "-" + d.deviceId())
              .serverHost("127.0.0.1")
              .serverPort(port)
              .automaticReconnectWithDefaultConfig()
              .buildBlocking();
      c.connectWith()
          .simpleAuth()
          .username(d.deviceId())
          .password(passwords.get(d.deviceId()).getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth()
          .send();
      clients.put(d.deviceId(), c);
    }
  }

  /** The backlog, then a step a second until {@code stop}. */
  void run(CountDownLatch stop) {
    try {
      for (SimulatedMessage m : simulation.step(Instant.now().minus(BACKLOG))) {
        publish(m);
      }
      while (!stop.await(1, TimeUnit.SECONDS)) {
        for (SimulatedMessage m : simulation.step(Instant.now())) {
          publish(m);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void publish(SimulatedMessage m) {
    Mqtt5BlockingClient c = clients.get(deviceOf(m.topic()));
    if (c == null) {
      return;
    }
    try {
      c.publishWith().topic(m.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(m.payload()).send();
      published.incrementAndGet();
    } catch (RuntimeException e) {
      // the hub restarts or the link drops: the sensor's next reading goes out after reconnecting
    }
  }

  private static String deviceOf(String topic) {
    try {
      Topic t = Topics.parse(topic);
      if (t instanceof SensorTopic s) {
        return s.deviceId();
      }
      if (t instanceof EquipmentStatusTopic s) {
        return s.deviceId();
      }
    } catch (TopicException e) {
      // the simulator only makes valid topics
    }
    return null;
  }

  @Override
  public void close() {
    for (Mqtt5BlockingClient c : clients.values()) {
      try {
        c.disconnect();
      } catch (RuntimeException e) {
        // shutting down
      }
    }
  }
}
