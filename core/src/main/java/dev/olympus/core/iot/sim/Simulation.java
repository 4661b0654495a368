package dev.olympus.core.iot.sim;

import dev.olympus.core.iot.DeviceType;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.core.iot.TelemetryEvent;
import dev.olympus.core.iot.TelemetryPayloads;
import dev.olympus.core.iot.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simulated devices of one restaurant: a walk-in cooler whose compressor cycles and whose door is
 * opened now and then, a freezer, a reach-in cooler that slowly fails, an oven that goes offline,
 * an energy meter with a daily profile and occasional spikes, a humidity sensor and an HVAC unit.
 * Deterministic for a seed; readings every 10 s of simulated time.
 */
public final class Simulation {
  /** Readings are due this often. */
  private static final long PERIOD_MS = 10_000;

  /** The failing cooler starts drifting after this long. */
  static final long FAILURE_AFTER_MS = 20 * 60_000L;

  /** The oven stops publishing after this long. */
  static final long OVEN_OFFLINE_AFTER_MS = 30 * 60_000L;

  private final String tenantId;
  private final String locationId;
  private final Random random;
  private final List<IotDevice> devices;
  private final String idPrefix;
  private Long startMs;
  private long nextDueMs;
  private boolean doorOpen;
  private double walkInTemp = 35;
  private boolean compressorOn;

  private Simulation(String tenantId, String locationId, long seed, String idPrefix) {
    this.idPrefix = idPrefix;
    this.tenantId = tenantId;
    this.locationId = locationId;
    this.random = new Random(seed);
    this.devices =
        List.of(
            device("walkin-cooler-1", DeviceType.TEMPERATURE, "Walk-In Cooler", 32.0, 38.0, "F"),
            device("freezer-1", DeviceType.TEMPERATURE, "Walk-In Freezer", -10.0, 0.0, "F"),
            device("reachin-cooler-2", DeviceType.TEMPERATURE, "Reach-In Cooler", 33.0, 40.0, "F"),
            device("walkin-door-1", DeviceType.DOOR, "Walk-In Door", null, null, null),
            device("humidity-1", DeviceType.HUMIDITY, "Kitchen Humidity", 30.0, 60.0, "%"),
            device("energy-1", DeviceType.ENERGY, "Main Meter", null, null, "kWh"),
            device("cooler-unit-1", DeviceType.COOLER, "Walk-In Compressor", null, null, null),
            device("oven-1", DeviceType.OVEN, "Convection Oven", null, null, null),
            device("hvac-1", DeviceType.HVAC, "Dining HVAC", null, null, null));
  }

  /** A restaurant's devices, deterministic for the seed. */
  public static Simulation restaurant(String tenantId, String locationId, long seed) {
    return new Simulation(tenantId, locationId, seed, "");
  }

  /**
   * The same restaurant with every device id prefixed, for several restaurants of one brand: device
   * ids are unique within a tenant.
   */
  public static Simulation restaurant(
      String tenantId, String locationId, long seed, String idPrefix) {
    return new Simulation(tenantId, locationId, seed, idPrefix);
  }

  /** What to register in the cloud registry. */
  public List<IotDevice> devices() {
    return devices;
  }

  /** Readings due at {@code now}; call every second or faster (catches up if called late). */
  public List<SimulatedMessage> step(Instant now) {
    long n = now.toEpochMilli();
    if (startMs == null) {
      startMs = n;
      nextDueMs = n;
    }
    List<SimulatedMessage> out = new ArrayList<>();
    while (nextDueMs <= n) {
      emit(nextDueMs, out);
      nextDueMs += PERIOD_MS;
    }
    return out;
  }

  private void emit(long t, List<SimulatedMessage> out) {
    long elapsed = t - startMs;
    // Walk-in: the compressor pulls down to 34 F, switches off, and the box warms to 37 F.
    if (compressorOn) {
      walkInTemp -= 0.15;
      if (walkInTemp <= 34) {
        compressorOn = false;
      }
    } else {
      walkInTemp += doorOpen ? 0.3 : 0.05;
      if (walkInTemp >= 37) {
        compressorOn = true;
      }
    }
    boolean wasOpen = doorOpen;
    doorOpen = doorOpen ? random.nextDouble() > 0.3 : random.nextDouble() < 0.02;
    reading(devices.get(0), t, walkInTemp + noise(0.1), out);
    reading(devices.get(1), t, -4 + noise(0.5), out);
    double drift = Math.max(0, elapsed - FAILURE_AFTER_MS) / 60_000.0 * 0.3;
    reading(devices.get(2), t, 37 + drift + noise(0.2), out);
    if (doorOpen != wasOpen || elapsed % 60_000 == 0) {
      out.add(message(devices.get(3), event(devices.get(3), t, null, null, doorOpen, null, null)));
    }
    reading(devices.get(4), t, 45 + noise(3), out);
    int hour = (int) ((t / 3_600_000L) % 24);
    double profile = hour >= 10 && hour <= 22 ? 4.0 : 1.5;
    double kwh = random.nextDouble() < 0.005 ? profile * 2.5 : profile + noise(0.2);
    reading(devices.get(5), t, kwh, out);
    out.add(
        message(
            devices.get(6),
            event(
                devices.get(6),
                t,
                null,
                null,
                null,
                compressorOn ? "running" : "idle",
                "{\"compressor\":" + compressorOn + "}")));
    if (elapsed < OVEN_OFFLINE_AFTER_MS) {
      out.add(
          message(
              devices.get(7),
              event(
                  devices.get(7),
                  t,
                  null,
                  null,
                  null,
                  "running",
                  String.format(java.util.Locale.ROOT, "{\"temp\":%.0f}", 425 + noise(5)))));
    }
    out.add(
        message(
            devices.get(8),
            event(
                devices.get(8),
                t,
                null,
                null,
                null,
                "cooling",
                String.format(
                    java.util.Locale.ROOT, "{\"set_point\":72,\"temp\":%.1f}", 72 + noise(1)))));
  }

  private double noise(double amplitude) {
    return (random.nextDouble() * 2 - 1) * amplitude;
  }

  private void reading(IotDevice d, long t, double value, List<SimulatedMessage> out) {
    double rounded = Math.round(value * 100) / 100.0;
    out.add(message(d, event(d, t, rounded, d.unit(), null, null, null)));
  }

  private TelemetryEvent event(
      IotDevice d, long t, Double value, String unit, Boolean open, String state, String attrs) {
    return new TelemetryEvent(
        tenantId, locationId, d.deviceId(), d.type(), t, value, unit, open, state, attrs);
  }

  private static SimulatedMessage message(IotDevice d, TelemetryEvent e) {
    return new SimulatedMessage(Topics.telemetryTopic(d), TelemetryPayloads.encode(e));
  }

  private IotDevice device(
      String id, DeviceType type, String name, Double min, Double max, String unit) {
    return new IotDevice(tenantId, locationId, idPrefix + id, type, name, min, max, unit);
  }
}
