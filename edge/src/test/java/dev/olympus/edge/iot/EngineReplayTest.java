package dev.olympus.edge.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.olympus.core.iot.AlertEngine;
import dev.olympus.core.iot.AlertSettings;
import dev.olympus.edge.EdgeServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert engine's state is saved at most once a second; readings stored after it are replayed at
 * start. Here the saved state is set back to before every reading, as after a power cut right
 * before a state save, and the timer of a cooler out of range must still run from its first
 * reading.
 */
class EngineReplayTest {
  @TempDir Path dir;

  static void reading(Mqtt5BlockingClient sensor, long ts, double value) {
    sensor
        .publishWith()
        .topic("olympus/t1/loc-1/sensors/temperature/cooler-9")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(
            ("{\"ts\":" + ts + ",\"value\":" + value + ",\"unit\":\"F\"}")
                .getBytes(StandardCharsets.UTF_8))
        .send();
  }

  @Test
  void readingsStoredAfterTheSavedState_areReplayed_soAnOutOfRangeTimerKeepsItsStart()
      throws Exception {
    Path data = dir.resolve("edge");
    long now = System.currentTimeMillis();
    long firstViolation = now - Duration.ofMinutes(9).toMillis();
    try (EdgeServer first = DeviceCommandsTest.startEdge(data)) {
      Mqtt5BlockingClient sensor =
          DeviceCommandsTest.connect(first, "cooler-9", DeviceCommandsTest.SENSOR_PASSWORD);
      reading(sensor, firstViolation, 45.0);
      reading(sensor, now - Duration.ofMinutes(5).toMillis(), 46.0);
      sensor.disconnect();
    }
    // as if the edge died before saving the state that includes those readings
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("telemetry.db"));
        PreparedStatement ps =
            c.prepareStatement("UPDATE engine_state SET json = ?, through_seq = 0")) {
      ps.setString(1, new AlertEngine(AlertSettings.defaults()).snapshot().json());
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    try (EdgeServer second = DeviceCommandsTest.startEdge(data)) {
      Mqtt5BlockingClient sensor =
          DeviceCommandsTest.connect(second, "cooler-9", DeviceCommandsTest.SENSOR_PASSWORD);
      // ten minutes after the first violation: the alert fires, started at the first reading
      reading(sensor, firstViolation + Duration.ofMinutes(10).toMillis(), 47.0);
      sensor.disconnect();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(second.iot().store().alertsJson(true, 10))
                      .singleElement()
                      .satisfies(
                          json ->
                              assertThat(json)
                                  .contains("temperature_high")
                                  .contains(
                                      "\"started_at\":\""
                                          + Instant.ofEpochMilli(firstViolation)
                                          + "\"")));
    }
  }
}
