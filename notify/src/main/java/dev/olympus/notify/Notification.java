package dev.olympus.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the notification log: one message to one recipient on one channel about one alert
 * event.
 *
 * @param id name-based UUID of (alert id, event kind, escalation, channel, recipient)
 * @param eventKind {@code raised}, {@code escalated}, {@code acknowledged} or {@code resolved}
 * @param recipient the phone number, e-mail address, URL, {@code staff} or {@code dashboard}
 * @param status {@code pending}, {@code sending}, {@code sent} or {@code failed}
 * @param attempts how many times delivery was tried
 * @param providerId what the provider called it: Twilio's message sid, the e-mail's Message-ID, the
 *     webhook's HTTP status; null until sent
 * @param alertJson the alert as the wire contract's Alert JSON, when the event happened
 * @param sentAt when delivery succeeded, or null
 */
public record Notification(
    String id,
    String tenantId,
    String locationId,
    String alertId,
    String rule,
    String severity,
    String eventKind,
    int escalation,
    Channel channel,
    String recipient,
    String recipientName,
    String subject,
    String body,
    String alertJson,
    String status,
    int attempts,
    Instant nextAttemptAt,
    String providerId,
    String lastError,
    Instant createdAt,
    Instant updatedAt,
    Instant sentAt) {

  public static final String PENDING = "pending";
  public static final String SENDING = "sending";
  public static final String SENT = "sent";
  public static final String FAILED = "failed";

  /** The short reference put in an SMS, by which a restart finds a message already sent. */
  public String reference() {
    return id.replace("-", "").substring(0, 10);
  }

  /**
   * The log entry as the notification APIs answer it (no message body or alert snapshot: a phone
   * number's texts are the log's business, not every terminal's).
   */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("notification_id", id);
    m.put("alert_id", alertId);
    m.put("location_id", locationId);
    m.put("rule", rule);
    m.put("severity", severity);
    m.put("event", eventKind);
    m.put("escalation", escalation);
    m.put("channel", channel.wireName());
    m.put("recipient", recipient);
    m.put("recipient_name", recipientName);
    m.put("subject", subject);
    m.put("status", status);
    m.put("attempts", attempts);
    m.put("provider_id", providerId);
    m.put("last_error", lastError);
    m.put("created_at", createdAt == null ? null : createdAt.toString());
    m.put("sent_at", sentAt == null ? null : sentAt.toString());
    return m;
  }
}
