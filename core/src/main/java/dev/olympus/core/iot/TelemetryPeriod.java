package dev.olympus.core.iot;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code period} and {@code resolution} of a telemetry query ({@code GET
 * /api/v1/iot/devices/{id}/telemetry?period=24h&resolution=5m}), the same on the edge and in the
 * cloud: periods from 15 minutes to 365 days; by default raw readings up to 6 hours, 5-minute
 * rollups up to 7 days, hourly rollups beyond.
 */
public final class TelemetryPeriod {
  public static final long MIN_MILLIS = 15L * 60_000;
  public static final long MAX_MILLIS = 365L * 86_400_000;
  static final long RAW_UP_TO_MILLIS = 6L * 3_600_000;
  static final long FIVE_MINUTES_UP_TO_MILLIS = 7L * 86_400_000;
  private static final Pattern PERIOD = Pattern.compile("(\\d{1,5})([mhd])");

  private TelemetryPeriod() {}

  /**
   * A period's length in milliseconds.
   *
   * @throws IllegalArgumentException saying what a period looks like
   */
  public static long parse(String text) {
    Matcher m = PERIOD.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "period must be <number><m|h|d> like 15m, 24h or 30d, was '" + abbreviate(text) + "'");
    }
    long n = Long.parseLong(m.group(1));
    long unit =
        m.group(2).equals("m") ? 60_000L : m.group(2).equals("h") ? 3_600_000L : 86_400_000L;
    long millis = n * unit;
    if (millis < MIN_MILLIS || millis > MAX_MILLIS) {
      throw new IllegalArgumentException("period must be between 15m and 365d, was '" + text + "'");
    }
    return millis;
  }

  /**
   * The resolution asked for, or the default for the period: {@code raw}, {@code 5m} or {@code 1h}.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static String resolution(String asked, long periodMillis) {
    if (asked == null || asked.isEmpty()) {
      return periodMillis <= RAW_UP_TO_MILLIS
          ? "raw"
          : periodMillis <= FIVE_MINUTES_UP_TO_MILLIS ? "5m" : "1h";
    }
    String r = asked.toLowerCase(Locale.ROOT);
    if (!r.equals("raw") && !r.equals("5m") && !r.equals("1h")) {
      throw new IllegalArgumentException(
          "resolution must be raw, 5m or 1h, was '" + abbreviate(asked) + "'");
    }
    return r;
  }

  /** A rollup resolution's bucket length. */
  public static long bucketMillis(String resolution) {
    return resolution.equals("5m") ? 300_000L : 3_600_000L;
  }

  private static String abbreviate(String s) {
    String t = String.valueOf(s);
    return t.length() <= 40 ? t : t.substring(0, 37) + "...";
  }
}
