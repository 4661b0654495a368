package dev.olympus.core.iot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire shape of a telemetry query ({@code GET /api/v1/iot/devices/{id}/telemetry}, seed 000),
 * the same on the edge and in the cloud: the envelope and one raw reading. Rollup buckets are
 * rendered by each tier, as their stores keep different aggregates.
 */
public final class TelemetryResponse {
  private TelemetryResponse() {}

  /**
   * One raw reading: {@code timestamp}, then {@code value} and {@code unit} (the device's unit when
   * the reading has none), {@code open} or {@code state}, whichever the reading carries.
   */
  public static Map<String, Object> reading(
      long tsMillis, Double value, String unit, Boolean open, String state, String deviceUnit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("timestamp", Instant.ofEpochMilli(tsMillis).toString());
    if (value != null) {
      m.put("value", value);
      m.put("unit", unit != null ? unit : deviceUnit);
    }
    if (open != null) {
      m.put("open", open);
    }
    if (state != null) {
      m.put("state", state);
    }
    return m;
  }

  /** The envelope; {@code truncated} appears only when the readings were cut at the limit. */
  public static Map<String, Object> of(
      String deviceId,
      String period,
      String resolution,
      List<Map<String, Object>> readings,
      boolean truncated) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("device_id", deviceId);
    out.put("period", period);
    out.put("resolution", resolution);
    out.put("readings", readings);
    if (truncated) {
      out.put("truncated", true);
    }
    return out;
  }
}
