package dev.olympus.edge.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.payments.PaymentSettings;
import dev.olympus.edge.payments.StripeProcessor;
import dev.olympus.edge.store.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The edge's settings as {@code olympus edge config set} stores them in {@code DATA_DIR/edge.json}
 * (mode 600: it holds the device token).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeConfig(
    @JsonProperty("location_id") String locationId,
    @JsonProperty("api_key") String apiKey,
    @JsonProperty("cloud_url") String cloudUrl,
    @JsonProperty("device_id") String deviceId,
    @JsonProperty("heartbeat_seconds") Long heartbeatSeconds,
    @JsonProperty("full_sync_after_hours") Long fullSyncAfterHours,
    @JsonProperty("prune_orders_after_days") Long pruneOrdersAfterDays) {

  public static final String FILE_NAME = "edge.json";

  /** Overrides {@code heartbeat_seconds} of edge.json (containers set env, not files). */
  public static final String HEARTBEAT_ENV = "OLYMPUS_EDGE_HEARTBEAT_SECONDS";

  /** Overrides {@code full_sync_after_hours} of edge.json. */
  public static final String FULL_SYNC_AFTER_ENV = "OLYMPUS_EDGE_FULL_SYNC_AFTER_HOURS";

  /** Overrides {@code prune_orders_after_days} of edge.json. */
  public static final String PRUNE_ORDERS_AFTER_ENV = "OLYMPUS_EDGE_PRUNE_ORDERS_AFTER_DAYS";

  /** The Stripe secret (or restricted) key queued card payments settle with; env only. */
  public static final String STRIPE_KEY_ENV = "OLYMPUS_EDGE_STRIPE_KEY";

  /** Stripe's base URL (default https://api.stripe.com): a proxy, or a test server. */
  public static final String STRIPE_URL_ENV = "OLYMPUS_EDGE_STRIPE_URL";

  /** The most one card payment may be while the processor is unreachable, e.g. "50.00". */
  public static final String CARD_FLOOR_LIMIT_ENV = "OLYMPUS_EDGE_CARD_FLOOR_LIMIT";

  /** The most all card payments waiting for settlement may add up to, e.g. "500.00". */
  public static final String CARD_OUTAGE_LIMIT_ENV = "OLYMPUS_EDGE_CARD_OUTAGE_LIMIT";

  static final EdgeConfig EMPTY = new EdgeConfig(null, null, null, null, null, null, null);

  /** Reads {@code dataDir/edge.json}; empty settings when it does not exist yet. */
  public static EdgeConfig load(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return EMPTY;
    }
    try {
      return Json.MAPPER.readValue(file.toFile(), EdgeConfig.class);
    } catch (IOException e) {
      throw new IllegalStateException(
          file + " is not readable edge settings (" + e.getMessage() + "): fix or delete it", e);
    }
  }

  /** Writes {@code dataDir/edge.json} atomically, readable by its owner only. */
  public void save(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
      Files.deleteIfExists(tmp);
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (posix) {
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
      Files.move(
          tmp,
          dataDir.resolve(FILE_NAME),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE_NAME), e);
    }
  }

  EdgeConfig withLocationId(String v) {
    return new EdgeConfig(
        v, apiKey, cloudUrl, deviceId, heartbeatSeconds, fullSyncAfterHours, pruneOrdersAfterDays);
  }

  EdgeConfig withApiKey(String v) {
    return new EdgeConfig(
        locationId,
        v,
        cloudUrl,
        deviceId,
        heartbeatSeconds,
        fullSyncAfterHours,
        pruneOrdersAfterDays);
  }

  EdgeConfig withCloudUrl(String v) {
    return new EdgeConfig(
        locationId,
        apiKey,
        v,
        deviceId,
        heartbeatSeconds,
        fullSyncAfterHours,
        pruneOrdersAfterDays);
  }

  EdgeConfig withDeviceId(String v) {
    return new EdgeConfig(
        locationId,
        apiKey,
        cloudUrl,
        v,
        heartbeatSeconds,
        fullSyncAfterHours,
        pruneOrdersAfterDays);
  }

  EdgeConfig withHeartbeatSeconds(Long v) {
    return new EdgeConfig(
        locationId, apiKey, cloudUrl, deviceId, v, fullSyncAfterHours, pruneOrdersAfterDays);
  }

  EdgeConfig withPruneOrdersAfterDays(Long v) {
    return new EdgeConfig(
        locationId, apiKey, cloudUrl, deviceId, heartbeatSeconds, fullSyncAfterHours, v);
  }

  EdgeConfig withFullSyncAfterHours(Long v) {
    return new EdgeConfig(
        locationId, apiKey, cloudUrl, deviceId, heartbeatSeconds, v, pruneOrdersAfterDays);
  }

  /** The heartbeat interval in effect: the env variable, else edge.json, else 30 s. */
  Duration heartbeatInterval(Map<String, String> env) {
    return Duration.ofSeconds(
        setting(
            env,
            HEARTBEAT_ENV,
            heartbeatSeconds,
            EdgeSettings.DEFAULT_HEARTBEAT_INTERVAL.toSeconds(),
            MAX_HEARTBEAT_SECONDS));
  }

  /** The full-sync age in effect: the env variable, else edge.json, else 24 h. */
  Duration fullSyncAfter(Map<String, String> env) {
    return Duration.ofHours(
        setting(
            env,
            FULL_SYNC_AFTER_ENV,
            fullSyncAfterHours,
            EdgeSettings.DEFAULT_FULL_SYNC_AFTER.toHours(),
            MAX_FULL_SYNC_AFTER_HOURS));
  }

  /**
   * The age after which synced orders are pruned: the env variable, else edge.json, else 30 days.
   */
  Duration pruneOrdersAfter(Map<String, String> env) {
    return Duration.ofDays(
        setting(
            env,
            PRUNE_ORDERS_AFTER_ENV,
            pruneOrdersAfterDays,
            EdgeSettings.DEFAULT_PRUNE_ORDERS_AFTER.toDays(),
            MAX_PRUNE_ORDERS_AFTER_DAYS));
  }

  /**
   * Card settings from the environment. The Stripe key is read from the environment only, never
   * written to edge.json nor printed: it is a payment credential and config sync never carries one.
   */
  static PaymentSettings payments(Map<String, String> env) {
    PaymentSettings p = PaymentSettings.defaults();
    long floor = money(env, CARD_FLOOR_LIMIT_ENV, p.floorLimitMinor());
    long outage = money(env, CARD_OUTAGE_LIMIT_ENV, Math.max(floor, p.outageLimitMinor()));
    if (outage < floor) {
      throw new UserError(
          CARD_OUTAGE_LIMIT_ENV
              + " must be at least "
              + CARD_FLOOR_LIMIT_ENV
              + " (the outage limit covers all unsettled card payments)");
    }
    String key = env.get(STRIPE_KEY_ENV);
    String url = env.getOrDefault(STRIPE_URL_ENV, StripeProcessor.STRIPE_API.toString());
    URI stripeUrl;
    try {
      stripeUrl = new URI(url.trim());
      if (stripeUrl.getScheme() == null || stripeUrl.getHost() == null) {
        throw new URISyntaxException(url, "needs http(s)://host");
      }
    } catch (URISyntaxException e) {
      throw new UserError(STRIPE_URL_ENV + " must be a URL such as https://api.stripe.com");
    }
    try {
      return p.withLimits(floor, outage).withStripe(key, stripeUrl);
    } catch (IllegalArgumentException e) {
      throw new UserError(STRIPE_KEY_ENV + ": " + e.getMessage());
    }
  }

  private static long money(Map<String, String> env, String name, long fallbackMinor) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallbackMinor;
    }
    try {
      BigDecimal v = new BigDecimal(raw.trim());
      if (v.signum() < 0 || v.stripTrailingZeros().scale() > 2) {
        throw new NumberFormatException();
      }
      return v.movePointRight(2).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UserError(name + " must be an amount such as 50.00, was '" + raw + "'");
    }
  }

  static final long MAX_HEARTBEAT_SECONDS = 3_600;
  static final long MAX_FULL_SYNC_AFTER_HOURS = 24 * 365;
  static final long MAX_PRUNE_ORDERS_AFTER_DAYS = 3_650;

  private static long setting(
      Map<String, String> env, String name, Long fromFile, long fallback, long max) {
    String raw = env.get(name);
    if (raw != null && !raw.isBlank()) {
      try {
        return checkRange(name, Long.parseLong(raw.trim()), max);
      } catch (NumberFormatException e) {
        throw new UserError(
            name + " must be a whole number from 1 to " + max + ", was '" + raw + "'");
      }
    }
    return fromFile == null ? fallback : checkRange(name, fromFile, max);
  }

  /** A whole-number setting from 1 to {@code max}, or an error naming it. */
  static long checkRange(String name, long value, long max) {
    if (value < 1 || value > max) {
      throw new UserError(name + " must be from 1 to " + max + ", was " + value);
    }
    return value;
  }

  /** The api key as {@code config show} prints it: enough to tell keys apart, not to use one. */
  static String redact(String key) {
    if (key == null) {
      return "(not set)";
    }
    if (key.length() <= 12) {
      return "****";
    }
    return key.substring(0, 6) + "…" + key.substring(key.length() - 4) + " (redacted)";
  }

  /** The location id, or an error saying how to set it. */
  String requireLocationId() {
    return Optional.ofNullable(locationId)
        .orElseThrow(
            () ->
                new UserError("no location id set: run ./olympus edge config set --location-id L"));
  }

  String requireApiKey() {
    return Optional.ofNullable(apiKey)
        .orElseThrow(
            () -> new UserError("no api key set: run ./olympus edge config set --api-key TOKEN"));
  }

  String requireCloudUrl() {
    return Optional.ofNullable(cloudUrl)
        .orElseThrow(
            () -> new UserError("no cloud URL set: run ./olympus edge config set --cloud-url URL"));
  }
}
