package dev.olympus.core.iot;

import java.time.Duration;

/** The alert rules' durations and thresholds. */
public record AlertSettings(
    Duration temperatureMinDuration,
    double hysteresis,
    Duration doorOpenLimit,
    Duration offlineAfter,
    double energySpikeRatio,
    Duration escalateAfter,
    Duration liveWindow) {
  public static AlertSettings defaults() {
    return new AlertSettings(
        Duration.ofMinutes(10),
        1.0,
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        1.5,
        Duration.ofMinutes(30),
        Duration.ofMinutes(2));
  }
}
