package dev.olympus.cloud.auth;

import dev.olympus.cloud.http.ApiException;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a request's {@code Authorization: Bearer} header into a {@link Principal}. Device lookups
 * are cached for a few seconds (a push of many batches should not cost a query each); a revoke on
 * this instance drops the entry at once, and other instances see it within the cache's lifetime.
 */
public final class Authenticator {
  private static final long CACHE_MILLIS = 5_000;
  private static final int CACHE_LIMIT = 100_000;

  private record Cached(Optional<Principal.Device> device, long expiresAt) {}

  private final String adminToken;
  private final DeviceRegistry devices;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public Authenticator(String adminToken, DeviceRegistry devices, Clock clock) {
    this.adminToken = adminToken;
    this.devices = devices;
    this.clock = clock;
  }

  /** The caller, or 401 when the token is missing or unknown. */
  public Principal authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw unauthorized("no token: send Authorization: Bearer <token>");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("the Authorization header must be 'Bearer <token>'");
    }
    String token = header.substring(7).strip();
    if (DeviceTokens.constantTimeEquals(token, adminToken)) {
      return new Principal.Admin();
    }
    if (!token.startsWith(DeviceTokens.PREFIX)) {
      throw unauthorized("unknown token: use the admin token or a device token (oly_…)");
    }
    String hash = DeviceTokens.sha256(token);
    long now = clock.millis();
    Cached cached = cache.get(hash);
    if (cached == null || cached.expiresAt() < now) {
      Optional<Principal.Device> device =
          devices
              .findActiveByTokenHash(hash)
              .map(
                  d ->
                      new Principal.Device(
                          d.tenantId(), d.locationId(), d.deviceId(), d.deviceType()));
      if (cache.size() > CACHE_LIMIT) {
        cache.clear();
      }
      cached = new Cached(device, now + CACHE_MILLIS);
      cache.put(hash, cached);
    }
    return cached
        .device()
        .orElseThrow(
            () ->
                unauthorized(
                    "unknown or revoked device token: register the device again to get a new one"));
  }

  public Principal.Admin requireAdmin(Context ctx) {
    if (authenticate(ctx) instanceof Principal.Admin a) {
      return a;
    }
    throw ApiException.forbidden("this endpoint needs the admin token, not a device token");
  }

  public Principal.Device requireDevice(Context ctx) {
    if (authenticate(ctx) instanceof Principal.Device d) {
      return d;
    }
    throw ApiException.forbidden(
        "this endpoint needs a device token: register a device under a location and use its"
            + " token");
  }

  /** Forgets a token so a revoke takes effect at once on this instance. */
  public void forget(String tokenSha256) {
    cache.remove(tokenSha256);
  }

  private static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message, null);
  }
}
