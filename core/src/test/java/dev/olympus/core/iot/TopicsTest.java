package dev.olympus.core.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

  @Test
  void parsesEveryKindAndRoundTrips() throws Exception {
    assertThat(Topics.parse("olympus/t1/loc-1/sensors/temperature/cooler-1"))
        .isEqualTo(new SensorTopic("t1", "loc-1", DeviceType.TEMPERATURE, "cooler-1"));
    assertThat(Topics.parse("olympus/t1/loc-1/sensors/door/door-1"))
        .isEqualTo(new SensorTopic("t1", "loc-1", DeviceType.DOOR, "door-1"));
    assertThat(Topics.parse("olympus/t1/loc-1/equipment/oven/oven-1/status"))
        .isEqualTo(new EquipmentStatusTopic("t1", "loc-1", DeviceType.OVEN, "oven-1"));
    assertThat(Topics.parse("olympus/t1/loc-1/alerts/critical/a-1"))
        .isEqualTo(new AlertTopic("t1", "loc-1", Severity.CRITICAL, "a-1"));
    assertThat(Topics.parse("olympus/t1/loc-1/commands/hvac-1/action"))
        .isEqualTo(new CommandTopic("t1", "loc-1", "hvac-1"));
    assertThat(Topics.parse("olympus/t1/loc-1/commands/hvac-1/ack"))
        .isEqualTo(new CommandAckTopic("t1", "loc-1", "hvac-1"));
    for (String s :
        new String[] {
          "olympus/t1/loc-1/sensors/energy/m.1",
          "olympus/t1/loc-1/equipment/hvac/h:1/status",
          "olympus/t1/loc-1/alerts/warning/x",
          "olympus/t1/loc-1/commands/d_1/action"
        }) {
      assertThat(Topics.parse(s).name()).isEqualTo(s);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "olympus",
        "other/t1/l1/sensors/temperature/c1",
        "olympus/t1/l1/sensors/temperature",
        "olympus/t1/l1/sensors/temperature/c1/extra",
        "olympus/t1/l1/sensors/oven/c1",
        "olympus/t1/l1/sensors/pressure/c1",
        "olympus/t1/l1/equipment/temperature/c1/status",
        "olympus/t1/l1/equipment/oven/o1",
        "olympus/t1/l1/equipment/oven/o1/state",
        "olympus/t1/l1/alerts/urgent/a1",
        "olympus/t1/l1/commands/d1/run",
        "olympus/t1/l1/widgets/x/y",
        "olympus//l1/sensors/temperature/c1",
        "olympus/t1/l1/sensors/temperature/+",
        "olympus/t1/l 1/sensors/temperature/c1",
        "olympus/t1/l1/sensors/temperature/c1/"
      })
  void refusesTopicsOutsideTheTree(String topic) {
    assertThatThrownBy(() -> Topics.parse(topic))
        .isInstanceOf(TopicException.class)
        .hasMessageNotContaining("null");
  }

  @Test
  void refusesOverlongIds() {
    String id = "a".repeat(65);
    assertThatThrownBy(() -> Topics.parse("olympus/t1/l1/sensors/temperature/" + id))
        .isInstanceOf(TopicException.class)
        .hasMessageContaining("device_id");
  }

  @Test
  void buildsFiltersAndDeviceTopics() {
    assertThat(Topics.locationFilter("t1", "l1")).isEqualTo("olympus/t1/l1/#");
    IotDevice cooler = new IotDevice("t1", "l1", "c1", DeviceType.COOLER, "C", null, null, null);
    IotDevice temp = new IotDevice("t1", "l1", "s1", DeviceType.TEMPERATURE, "S", 32.0, 38.0, "F");
    assertThat(Topics.telemetryTopic(cooler)).isEqualTo("olympus/t1/l1/equipment/cooler/c1/status");
    assertThat(Topics.telemetryTopic(temp)).isEqualTo("olympus/t1/l1/sensors/temperature/s1");
  }
}
