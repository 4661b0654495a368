package dev.olympus.core.iot;

/** {@code olympus/{t}/{l}/alerts/{severity}/{alert_id}}: the hub publishes the Alert JSON here. */
public record AlertTopic(String tenantId, String locationId, Severity severity, String alertId)
    implements Topic {
  @Override
  public String name() {
    return "olympus/"
        + tenantId
        + "/"
        + locationId
        + "/alerts/"
        + severity.wireName()
        + "/"
        + alertId;
  }
}
