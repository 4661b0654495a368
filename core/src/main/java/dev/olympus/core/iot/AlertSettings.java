package dev.olympus.core.iot;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

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

  /** Minutes an unacknowledged critical alert waits before it escalates, by default. */
  public static final int DEFAULT_ESCALATE_AFTER_MINUTES = 30;

  public AlertSettings {
    if (temperatureMinDuration.isNegative()) {
      throw new IllegalArgumentException(
          "the temperature alert's minimum duration cannot be negative");
    }
    if (!(hysteresis >= 0)) {
      throw new IllegalArgumentException("the hysteresis cannot be negative");
    }
    for (Duration d : new Duration[] {doorOpenLimit, offlineAfter, escalateAfter, liveWindow}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("alert durations must be positive, was " + d);
      }
    }
    if (!(energySpikeRatio > 1)) {
      throw new IllegalArgumentException(
          "the energy spike ratio must be above 1, was " + energySpikeRatio);
    }
  }

  /** 10 min, 1.0, 5 min, 15 min, 1.5, 30 min, 2 min. */
  public static AlertSettings defaults() {
    return new AlertSettings(
        Duration.ofMinutes(10),
        1.0,
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        1.5,
        Duration.ofMinutes(DEFAULT_ESCALATE_AFTER_MINUTES),
        Duration.ofMinutes(2));
  }

  /**
   * The defaults, changed by whichever of these is set: {@code OLYMPUS_IOT_ESCALATE_AFTER_MINUTES}
   * (1–1440), {@code OLYMPUS_IOT_TEMPERATURE_MINUTES} (0–1440), {@code
   * OLYMPUS_IOT_DOOR_OPEN_MINUTES} (1–1440), {@code OLYMPUS_IOT_OFFLINE_MINUTES} (1–1440), {@code
   * OLYMPUS_IOT_ENERGY_SPIKE_PERCENT} (101–1000), {@code OLYMPUS_IOT_HYSTERESIS} (degrees, 0–20).
   *
   * @throws IllegalArgumentException naming the variable and what it takes
   */
  public static AlertSettings fromEnv(Map<String, String> env) {
    AlertSettings d = defaults();
    return new AlertSettings(
        minutes(env, "OLYMPUS_IOT_TEMPERATURE_MINUTES", 0, d.temperatureMinDuration()),
        decimal(env, "OLYMPUS_IOT_HYSTERESIS", 0, 20, d.hysteresis()),
        minutes(env, "OLYMPUS_IOT_DOOR_OPEN_MINUTES", 1, d.doorOpenLimit()),
        minutes(env, "OLYMPUS_IOT_OFFLINE_MINUTES", 1, d.offlineAfter()),
        decimal(env, "OLYMPUS_IOT_ENERGY_SPIKE_PERCENT", 101, 1000, d.energySpikeRatio() * 100)
            / 100,
        minutes(env, "OLYMPUS_IOT_ESCALATE_AFTER_MINUTES", 1, d.escalateAfter()),
        d.liveWindow());
  }

  /** These settings with another escalation interval. */
  public AlertSettings withEscalateAfter(Duration interval) {
    return new AlertSettings(
        temperatureMinDuration,
        hysteresis,
        doorOpenLimit,
        offlineAfter,
        energySpikeRatio,
        interval,
        liveWindow);
  }

  /**
   * These settings with another escalation interval, as a user gives it (a flag).
   *
   * @throws IllegalArgumentException unless 1 to 1440 minutes
   */
  public AlertSettings withEscalateAfterMinutes(int minutes) {
    if (minutes < 1 || minutes > 1440) {
      throw new IllegalArgumentException(
          "the escalation interval must be from 1 to 1440 minutes, was " + minutes);
    }
    return withEscalateAfter(Duration.ofMinutes(minutes));
  }

  /** These settings with another minimum duration for temperature alerts. */
  public AlertSettings withTemperatureMinDuration(Duration duration) {
    return new AlertSettings(
        duration,
        hysteresis,
        doorOpenLimit,
        offlineAfter,
        energySpikeRatio,
        escalateAfter,
        liveWindow);
  }

  private static Duration minutes(Map<String, String> env, String name, int min, Duration dflt) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= min && n <= 1440) {
        return Duration.ofMinutes(n);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        name + " must be a whole number of minutes from " + min + " to 1440, was '" + text + "'");
  }

  private static double decimal(
      Map<String, String> env, String name, int min, int max, double dflt) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return dflt;
    }
    try {
      BigDecimal n = new BigDecimal(text.strip());
      if (n.compareTo(BigDecimal.valueOf(min)) >= 0 && n.compareTo(BigDecimal.valueOf(max)) <= 0) {
        return n.doubleValue();
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        name + " must be a number from " + min + " to " + max + ", was '" + text + "'");
  }
}
