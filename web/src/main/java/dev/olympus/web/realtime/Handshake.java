package dev.olympus.web.realtime;

import java.util.Objects;

/**
 * What a device presents when it opens {@code /ws/sync}. The hub has already checked that the token
 * and the required query parameters are there.
 *
 * @param token the bearer token (from {@code Authorization: Bearer} or {@code access_token})
 * @param deviceId the {@code device_id} query parameter
 * @param restaurantId the {@code restaurant_id} query parameter: the location asked for
 * @param userId the {@code user_id} query parameter, or null
 */
public record Handshake(String token, String deviceId, String restaurantId, String userId) {
  public Handshake {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(restaurantId, "restaurantId");
  }
}
