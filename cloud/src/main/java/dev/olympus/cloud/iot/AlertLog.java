package dev.olympus.cloud.iot;

import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertRule;
import dev.olympus.core.iot.AlertStatus;
import dev.olympus.core.iot.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The cloud's alert log: one row per episode, from the cloud's own engine and from the edges'
 * batches. A status only moves forward (active → acknowledged → resolved), whoever writes it.
 */
public final class AlertLog {
  private static final String COLUMNS =
      "alert_id, tenant_id, location_id, device_id, rule, severity, status, started_at,"
          + " raised_at, acknowledged_at, acknowledged_by, resolved_at, value, threshold,"
          + " escalations, message";

  private final Jdbi jdbi;

  public AlertLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void upsert(Alert alert, long now) {
    jdbi.useTransaction(h -> upsert(h, alert, now));
  }

  /**
   * Inserts or updates an alert by id in the caller's transaction; an update that would move its
   * status backwards (a resolved alert sent again as active) is ignored, and so is one from another
   * location (an edge writes its own location's alerts only). Who acknowledged and when is kept as
   * first recorded: an edge sending back an acknowledgement it learnt from the cloud, or one made
   * on both sides, never replaces the cloud's.
   */
  public void upsert(Handle h, Alert a, long now) {
    h.createUpdate(
            "INSERT INTO iot_alerts ("
                + COLUMNS
                + ", status_rank, updated_at) VALUES (:alert_id, :tenant_id, :location_id,"
                + " :device_id, :rule, :severity, :status, :started_at, :raised_at,"
                + " :acknowledged_at, :acknowledged_by, :resolved_at, :value, :threshold,"
                + " :escalations, :message, :rank, :now)"
                + " ON CONFLICT (tenant_id, alert_id) DO UPDATE SET"
                + " status = excluded.status, status_rank = excluded.status_rank,"
                + " raised_at = COALESCE(excluded.raised_at, iot_alerts.raised_at),"
                + " acknowledged_at = COALESCE(iot_alerts.acknowledged_at, excluded.acknowledged_at),"
                + " acknowledged_by = COALESCE(iot_alerts.acknowledged_by, excluded.acknowledged_by),"
                + " resolved_at = COALESCE(iot_alerts.resolved_at, excluded.resolved_at),"
                + " value = excluded.value, threshold = excluded.threshold,"
                + " escalations = CASE WHEN excluded.escalations > iot_alerts.escalations"
                + "   THEN excluded.escalations ELSE iot_alerts.escalations END,"
                + " message = excluded.message, updated_at = excluded.updated_at"
                + " WHERE iot_alerts.status_rank <= excluded.status_rank"
                + " AND iot_alerts.location_id = excluded.location_id")
        .bind("alert_id", a.alertId())
        .bind("tenant_id", a.tenantId())
        .bind("location_id", a.locationId())
        .bind("device_id", a.deviceId())
        .bind("rule", a.rule().wireName())
        .bind("severity", a.severity().wireName())
        .bind("status", a.status().wireName())
        .bind("started_at", a.startedAt().toEpochMilli())
        .bind("raised_at", millis(a.raisedAt()))
        .bind("acknowledged_at", millis(a.acknowledgedAt()))
        .bind("acknowledged_by", a.acknowledgedBy())
        .bind("resolved_at", millis(a.resolvedAt()))
        .bind("value", a.value())
        .bind("threshold", a.threshold())
        .bind("escalations", a.escalations())
        .bind("message", a.message())
        .bind("rank", a.status().ordinal())
        .bind("now", now)
        .execute();
  }

  public Optional<Alert> find(String tenantId, String alertId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM iot_alerts WHERE tenant_id = :t AND alert_id = :a")
                .bind("t", tenantId)
                .bind("a", alertId)
                .map((rs, ctx) -> alert(rs))
                .findOne());
  }

  /** A tenant's alerts, newest episode first; open ones only when {@code openOnly}. */
  public List<Alert> list(String tenantId, String locationId, boolean openOnly, int limit) {
    return list(tenantId, locationId, openOnly, List.of(), limit);
  }

  /**
   * A tenant's alerts, newest episode first; open ones only when {@code openOnly}, and only those
   * named in {@code alertIds} unless it is empty.
   */
  public List<Alert> list(
      String tenantId, String locationId, boolean openOnly, List<String> alertIds, int limit) {
    return jdbi.withHandle(
        h -> {
          var q =
              h.createQuery(
                      "SELECT "
                          + COLUMNS
                          + " FROM iot_alerts WHERE tenant_id = :t"
                          + (locationId == null ? "" : " AND location_id = :l")
                          + (openOnly ? " AND status_rank < 2" : "")
                          + (alertIds.isEmpty() ? "" : " AND alert_id IN (<ids>)")
                          + " ORDER BY started_at DESC, alert_id LIMIT :limit")
                  .bind("t", tenantId)
                  .bind("limit", limit);
          if (locationId != null) {
            q.bind("l", locationId);
          }
          if (!alertIds.isEmpty()) {
            q.bindList("ids", alertIds);
          }
          return q.map((rs, ctx) -> alert(rs)).list();
        });
  }

  /** Device ids of a tenant with an open alert. */
  public List<String> devicesWithOpenAlerts(String tenantId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT device_id FROM iot_alerts WHERE tenant_id = :t"
                        + " AND status_rank < 2")
                .bind("t", tenantId)
                .mapTo(String.class)
                .list());
  }

  private static Long millis(Instant i) {
    return i == null ? null : i.toEpochMilli();
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static Double dbl(ResultSet rs, int col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? null : v;
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    return new Alert(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        AlertRule.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)),
        Severity.fromWire(rs.getString(6)),
        AlertStatus.valueOf(rs.getString(7).toUpperCase(Locale.ROOT)),
        instant(rs, 8),
        instant(rs, 9),
        instant(rs, 10),
        rs.getString(11),
        instant(rs, 12),
        dbl(rs, 13),
        dbl(rs, 14),
        rs.getInt(15),
        rs.getString(16));
  }
}
