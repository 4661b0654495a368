package dev.olympus.web.realtime;

import java.util.Objects;

/**
 * One restaurant's connection pool: the tenant and the location its devices belong to.
 *
 * @param tenantId the tenant (on an edge: the edge's tenant)
 * @param locationId the location, the {@code restaurant_id} devices connect with
 */
public record LocationKey(String tenantId, String locationId) {
  public LocationKey {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(locationId, "locationId");
  }
}
