package dev.olympus.notify;

import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertEvent;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code notifications} table (edge and cloud migration V8): the queue and the log in one. */
final class NotificationStore {
  private static final String COLUMNS =
      "id, tenant_id, location_id, alert_id, rule, severity, event_kind, escalation, channel,"
          + " recipient, recipient_name, subject, body, alert_json, status, attempts,"
          + " next_attempt_at, provider_id, last_error, created_at, updated_at, sent_at";

  private final Jdbi jdbi;

  NotificationStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The id of a message: the same event to the same recipient on the same channel, same id. */
  static String idOf(AlertEvent event, Channel channel, String recipient) {
    Alert a = event.alert();
    String key =
        String.join(
            "\n",
            a.alertId(),
            kindOf(event),
            Integer.toString(a.escalations()),
            channel.wireName(),
            recipient);
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  static String kindOf(AlertEvent event) {
    return event.kind().name().toLowerCase(Locale.ROOT);
  }

  /**
   * Stores the planned messages in one transaction; those already stored (a resubmitted event) are
   * left as they are.
   *
   * @return how many were new
   */
  int insert(AlertEvent event, List<Routing.Planned> planned, String alertJson, long now) {
    if (planned.isEmpty()) {
      return 0;
    }
    return jdbi.inTransaction(h -> insert(h, event, planned, alertJson, now));
  }

  /** {@link #insert(AlertEvent, List, String, long)} in the caller's transaction. */
  int insert(
      Handle h, AlertEvent event, List<Routing.Planned> planned, String alertJson, long now) {
    if (planned.isEmpty()) {
      return 0;
    }
    Alert a = event.alert();
    // One statement per row (a handful per event): a batch's counts do not say which rows a
    // PostgreSQL driver that rewrites batches skipped on conflict.
    int added = 0;
    for (Routing.Planned p : planned) {
      added +=
          h.createUpdate(
                  "INSERT INTO notifications ("
                      + "id, tenant_id, location_id, alert_id, rule, severity, event_kind,"
                      + " escalation, channel, recipient, recipient_name, subject, body, alert_json,"
                      + " status, attempts, next_attempt_at, created_at, updated_at) VALUES ("
                      + ":id, :t, :l, :a, :rule, :sev, :kind, :esc, :ch, :to, :name, :subject,"
                      + " :body, :json, 'pending', 0, :now, :now, :now)"
                      + " ON CONFLICT (id) DO NOTHING")
              .bind("id", idOf(event, p.channel(), p.recipient()))
              .bind("t", a.tenantId())
              .bind("l", a.locationId())
              .bind("a", a.alertId())
              .bind("rule", a.rule().wireName())
              .bind("sev", a.severity().wireName())
              .bind("kind", kindOf(event))
              .bind("esc", a.escalations())
              .bind("ch", p.channel().wireName())
              .bind("to", p.recipient())
              .bind("name", p.recipientName())
              .bind("subject", p.subject())
              .bind("body", p.body())
              .bind("json", alertJson)
              .bind("now", now)
              .execute();
    }
    return added;
  }

  /** Ids of messages due now: pending ones whose time has come and sends whose lease ran out. */
  List<String> due(long now, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id FROM notifications WHERE (status = 'pending' AND next_attempt_at <= :now)"
                        + " OR (status = 'sending' AND lease_until <= :now)"
                        + " ORDER BY next_attempt_at, created_at LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
  }

  /**
   * Takes a due message for one attempt: counts the attempt and leases it, committed before the
   * provider is called.
   *
   * @return the message as it was before this attempt; empty when someone else took it
   */
  Optional<Notification> claim(String id, long now, long leaseUntil) {
    return jdbi.inTransaction(
        h -> {
          Optional<Notification> before =
              h.createQuery("SELECT " + COLUMNS + " FROM notifications WHERE id = :id")
                  .bind("id", id)
                  .map((rs, ctx) -> row(rs))
                  .findOne();
          int taken =
              h.createUpdate(
                      "UPDATE notifications SET status = 'sending', attempts = attempts + 1,"
                          + " lease_until = :lease, updated_at = :now WHERE id = :id AND"
                          + " ((status = 'pending' AND next_attempt_at <= :now)"
                          + " OR (status = 'sending' AND lease_until <= :now))")
                  .bind("id", id)
                  .bind("now", now)
                  .bind("lease", leaseUntil)
                  .execute();
          return taken == 1 ? before : Optional.empty();
        });
  }

  void markSent(String id, String providerId, long now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE notifications SET status = 'sent', provider_id = :p, sent_at = :now,"
                        + " updated_at = :now, lease_until = NULL, last_error = NULL WHERE id = :id")
                .bind("id", id)
                .bind("p", providerId)
                .bind("now", now)
                .execute());
  }

  void markRetry(String id, String error, long nextAttemptAt, long now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE notifications SET status = 'pending', last_error = :e,"
                        + " next_attempt_at = :next, updated_at = :now, lease_until = NULL"
                        + " WHERE id = :id")
                .bind("id", id)
                .bind("e", truncate(error))
                .bind("next", nextAttemptAt)
                .bind("now", now)
                .execute());
  }

  void markFailed(String id, String error, long now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE notifications SET status = 'failed', last_error = :e,"
                        + " updated_at = :now, lease_until = NULL WHERE id = :id")
                .bind("id", id)
                .bind("e", truncate(error))
                .bind("now", now)
                .execute());
  }

  List<Notification> history(
      String tenantId, String locationId, String alertId, Channel channel, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM notifications WHERE tenant_id = :t");
    if (locationId != null) {
      sql.append(" AND location_id = :l");
    }
    if (alertId != null) {
      sql.append(" AND alert_id = :a");
    }
    if (channel != null) {
      sql.append(" AND channel = :ch");
    }
    sql.append(" ORDER BY created_at DESC, id LIMIT :limit");
    return jdbi.withHandle(
        h -> {
          var q = h.createQuery(sql.toString()).bind("t", tenantId).bind("limit", limit);
          if (locationId != null) {
            q.bind("l", locationId);
          }
          if (alertId != null) {
            q.bind("a", alertId);
          }
          if (channel != null) {
            q.bind("ch", channel.wireName());
          }
          return q.map((rs, ctx) -> row(rs)).list();
        });
  }

  private static Notification row(ResultSet rs) throws SQLException {
    return new Notification(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("location_id"),
        rs.getString("alert_id"),
        rs.getString("rule"),
        rs.getString("severity"),
        rs.getString("event_kind"),
        rs.getInt("escalation"),
        Channel.fromWire(rs.getString("channel")),
        rs.getString("recipient"),
        rs.getString("recipient_name"),
        rs.getString("subject"),
        rs.getString("body"),
        rs.getString("alert_json"),
        rs.getString("status"),
        rs.getInt("attempts"),
        instant(rs, "next_attempt_at"),
        rs.getString("provider_id"),
        rs.getString("last_error"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "sent_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static String truncate(String s) {
    if (s == null) {
      return null;
    }
    return s.length() <= 500 ? s : s.substring(0, 500);
  }
}
