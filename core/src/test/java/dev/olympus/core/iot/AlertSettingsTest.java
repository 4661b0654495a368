package dev.olympus.core.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertSettingsTest {
  @Test
  void fromEnv_withNothingSet_isTheDefaults() {
    assertThat(AlertSettings.fromEnv(Map.of())).isEqualTo(AlertSettings.defaults());
  }

  @Test
  void fromEnv_readsEachVariable() {
    AlertSettings s =
        AlertSettings.fromEnv(
            Map.of(
                "OLYMPUS_IOT_ESCALATE_AFTER_MINUTES", "45",
                "OLYMPUS_IOT_TEMPERATURE_MINUTES", "0",
                "OLYMPUS_IOT_DOOR_OPEN_MINUTES", "3",
                "OLYMPUS_IOT_OFFLINE_MINUTES", "20",
                "OLYMPUS_IOT_ENERGY_SPIKE_PERCENT", "175",
                "OLYMPUS_IOT_HYSTERESIS", "0.5"));
    assertThat(s.escalateAfter()).isEqualTo(Duration.ofMinutes(45));
    assertThat(s.temperatureMinDuration()).isZero();
    assertThat(s.doorOpenLimit()).isEqualTo(Duration.ofMinutes(3));
    assertThat(s.offlineAfter()).isEqualTo(Duration.ofMinutes(20));
    assertThat(s.energySpikeRatio()).isEqualTo(1.75);
    assertThat(s.hysteresis()).isEqualTo(0.5);
  }

  @Test
  void fromEnv_refusesNonsense_namingTheVariableAndTheRange() {
    assertThatThrownBy(
            () -> AlertSettings.fromEnv(Map.of("OLYMPUS_IOT_ESCALATE_AFTER_MINUTES", "0")))
        .hasMessageContaining("OLYMPUS_IOT_ESCALATE_AFTER_MINUTES")
        .hasMessageContaining("1 to 1440");
    assertThatThrownBy(() -> AlertSettings.fromEnv(Map.of("OLYMPUS_IOT_DOOR_OPEN_MINUTES", "five")))
        .hasMessageContaining("OLYMPUS_IOT_DOOR_OPEN_MINUTES")
        .hasMessageContaining("'five'");
    assertThatThrownBy(
            () -> AlertSettings.fromEnv(Map.of("OLYMPUS_IOT_ENERGY_SPIKE_PERCENT", "100")))
        .hasMessageContaining("101 to 1000");
    assertThatThrownBy(() -> AlertSettings.fromEnv(Map.of("OLYMPUS_IOT_HYSTERESIS", "NaN")))
        .hasMessageContaining("OLYMPUS_IOT_HYSTERESIS");
  }

  @Test
  void withEscalateAfterMinutes_takesOneMinuteToADay() {
    assertThat(AlertSettings.defaults().withEscalateAfterMinutes(5).escalateAfter())
        .isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> AlertSettings.defaults().withEscalateAfterMinutes(0))
        .hasMessageContaining("1 to 1440 minutes");
    assertThatThrownBy(() -> AlertSettings.defaults().withEscalateAfterMinutes(1441))
        .hasMessageContaining("was 1441");
  }
}
