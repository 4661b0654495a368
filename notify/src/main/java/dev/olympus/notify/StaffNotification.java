package dev.olympus.notify;

/**
 * A notice for the staff's screens at a location (a walk-in door left open).
 *
 * @param notificationId the log entry's id: screens may see it twice after a crash, and use it to
 *     show it once
 * @param eventKind {@code raised}, {@code acknowledged}, …
 * @param message the sentence to show
 * @param alertJson the alert as the wire contract's Alert JSON
 */
public record StaffNotification(
    String notificationId,
    String tenantId,
    String locationId,
    String eventKind,
    String message,
    String alertJson) {}
