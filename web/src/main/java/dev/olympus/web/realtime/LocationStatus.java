package dev.olympus.web.realtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A restaurant's live connections, for {@code GET /api/restaurants/{id}/status}.
 *
 * @param restaurantId the location
 * @param connections open WebSockets
 * @param devices the connected devices, oldest connection first
 * @param lastChangeSeq the seq of the last change the hub fanned out to this location since it
 *     started watching it (0: none yet)
 * @param lastChangeAt when the hub fanned it out (ISO-8601), or null
 */
public record LocationStatus(
    @JsonProperty("restaurant_id") String restaurantId,
    @JsonProperty("connections") int connections,
    @JsonProperty("devices") List<Device> devices,
    @JsonProperty("last_change_seq") long lastChangeSeq,
    @JsonProperty("last_change_at") String lastChangeAt) {
  public LocationStatus {
    devices = List.copyOf(devices);
  }

  /** One connection of the location. */
  public record Device(
      @JsonProperty("device_id") String deviceId,
      @JsonProperty("device_type") String deviceType,
      @JsonProperty("user_id") String userId,
      @JsonProperty("connected_since") String connectedSince) {}
}
