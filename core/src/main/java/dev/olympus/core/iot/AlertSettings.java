package dev.olympus.core.iot;

import java.time.Duration;

/**
 * The rules' parameters.
 *
 * @param temperatureMinDuration how long a temperature must stay out of range before it fires
 * @param hysteresis a temperature alert clears only when back inside the range by this margin
 * @param doorOpenLimit how long a door may stay open
 * @param offlineAfter silence after which a device is offline
 * @param energySpikeRatio a reading above this times the hour's baseline is a spike
 * @param escalateAfter an unacknowledged critical alert escalates after this, and again after each
 * @param liveWindow an episode whose condition still held within this of now is live (notified)
 */
public record AlertSettings(
    Duration temperatureMinDuration,
    double hysteresis,
    Duration doorOpenLimit,
    Duration offlineAfter,
    double energySpikeRatio,
    Duration escalateAfter,
    Duration liveWindow) {

  /** 10 min, 1.0, 5 min, 15 min, 1.5, 30 min, 2 min. */
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
