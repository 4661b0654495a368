package dev.olympus.notify;

import java.time.Instant;
import java.util.List;

/**
 * Who is told about a location's alerts, read from the synced configuration: the edge reads its
 * config cache, the cloud its config store (both through {@link ConfigRecipientDirectory}).
 */
public interface RecipientDirectory {
  /** The managers (employees whose role receives alerts) with a shift at {@code at}. */
  List<Recipient> onDutyManagers(String tenantId, String locationId, Instant at);

  /** The location's notification contacts, told when nobody is on duty and on escalation. */
  List<Recipient> contacts(String tenantId, String locationId);
}
