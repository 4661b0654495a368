package dev.olympus.core.iot;

/** The topic {@code olympus/{t}/{l}/alerts/{severity}/{alert_id}}. */
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
