package dev.olympus.core.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.EntityType;
import dev.olympus.core.config.FieldProblem;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IotDeviceConfigTest {
  static final String HASH = "$2a$10$" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0";
  final EntityType devices = ConfigRegistry.require("iot_devices");

  Map<String, Object> record() {
    Map<String, Object> r = new HashMap<>();
    r.put("device_id", "cooler-1");
    r.put("device_type", "temperature");
    r.put("name", "Walk-In Cooler");
    r.put("target_min", 32);
    r.put("target_max", 38.5);
    r.put("unit", "F");
    r.put("mqtt_password_hash", HASH);
    return r;
  }

  @Test
  void acceptsARegisteredDeviceAndReadsIt() {
    assertThat(devices.validate(record(), true)).isEmpty();
    IotDevice d = IotDevice.fromConfig("t1", "l1", record());
    assertThat(d)
        .isEqualTo(
            new IotDevice(
                "t1", "l1", "cooler-1", DeviceType.TEMPERATURE, "Walk-In Cooler", 32.0, 38.5, "F"));
  }

  @Test
  void refusesGarbageHashesTypesAndRanges() {
    Map<String, Object> r = record();
    r.put("mqtt_password_hash", "hunter2");
    r.put("device_type", "toaster");
    r.put("target_max", "hot");
    assertThat(devices.validate(r, true))
        .extracting(FieldProblem::field)
        .containsExactlyInAnyOrder("mqtt_password_hash", "device_type", "target_max");
    r = record();
    r.put("target_min", Double.NaN);
    assertThat(devices.validate(r, true))
        .extracting(FieldProblem::field)
        .containsExactly("target_min");
  }

  @Test
  void fromConfigNeedsAnIdAndAKnownType() {
    Map<String, Object> r = record();
    r.remove("device_id");
    r.put("id", "x1");
    assertThat(IotDevice.fromConfig("t1", "l1", r).deviceId()).isEqualTo("x1");
    r.remove("id");
    assertThatThrownBy(() -> IotDevice.fromConfig("t1", "l1", r)).hasMessageContaining("device_id");
    Map<String, Object> bad = record();
    bad.put("device_type", "toaster");
    assertThatThrownBy(() -> IotDevice.fromConfig("t1", "l1", bad))
        .hasMessageContaining("temperature");
  }

  @Test
  void contactsEmployeesAndRolesCarryAlertFields() {
    assertThat(
            ConfigRegistry.require("notification_contacts")
                .validate(Map.of("name", "Owner", "phone", "+15550100"), true))
        .isEmpty();
    assertThat(ConfigRegistry.require("roles").fields())
        .anyMatch(f -> f.name().equals("receives_alerts"));
    assertThat(ConfigRegistry.require("employees").fields())
        .anyMatch(f -> f.name().equals("phone"));
  }
}
