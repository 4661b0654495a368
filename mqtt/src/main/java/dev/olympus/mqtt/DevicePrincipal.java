package dev.olympus.mqtt;

import dev.olympus.core.iot.IotDevice;
import dev.olympus.core.iot.Topics;
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

  /**
   * A registered device's rights: its own telemetry topic and command acknowledgements to publish,
   * its own commands to subscribe to.
   */
  public static DevicePrincipal of(IotDevice d) {
    String commands =
        "olympus/" + d.tenantId() + "/" + d.locationId() + "/commands/" + d.deviceId();
    return new DevicePrincipal(
        d.tenantId(),
        d.locationId(),
        d.deviceId(),
        Set.of(Topics.telemetryTopic(d), commands + "/ack"),
        Set.of(commands + "/action"));
  }

  boolean mayPublish(String topic) {
    return publishTopics.contains(topic);
  }
}
