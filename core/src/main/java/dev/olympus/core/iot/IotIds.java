package dev.olympus.core.iot;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Deterministic ids, so the edge and the cloud name the same episode the same way. */
public final class IotIds {
  private IotIds() {}

  /** A name-based UUID of tenant, device, rule and the episode's start. */
  public static String alertId(
      String tenantId, String deviceId, AlertRule rule, Instant startedAt) {
    String name =
        tenantId + "|" + deviceId + "|" + rule.wireName() + "|" + startedAt.toEpochMilli();
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
