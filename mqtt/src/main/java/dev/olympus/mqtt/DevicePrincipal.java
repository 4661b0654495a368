package dev.olympus.mqtt;

import java.util.Set;

/**
 * A device logged in to the broker, and what it may do there: publish on exactly {@code
 * publishTopics} (its own telemetry topic and its command acknowledgements), subscribe to exactly
 * {@code subscribeFilters} (its own commands).
 */
public record DevicePrincipal(
    String tenantId,
    String locationId,
    String deviceId,
    Set<String> publishTopics,
    Set<String> subscribeFilters) {
  public DevicePrincipal {
    publishTopics = Set.copyOf(publishTopics);
    subscribeFilters = Set.copyOf(subscribeFilters);
  }

  boolean mayPublish(String topic) {
    return publishTopics.contains(topic);
  }
}
