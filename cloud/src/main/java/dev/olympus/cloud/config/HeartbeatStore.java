package dev.olympus.cloud.config;

import dev.olympus.core.sync.UuidV7;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code service_host_metrics} table: what each host reported in its heartbeats, kept for
 * {@code retention} and at most {@code rowsPerHost} rows per host, so it never grows unbounded.
 */
public final class HeartbeatStore {
  /**
   * One heartbeat as validated by the routes; null numbers were not sent.
   *
   * @param connectionMode e.g. online, offline
   */
  public record Heartbeat(
      Double cpuPercent,
      Double memoryPercent,
      Double diskPercent,
      String connectionMode,
      Long pendingTransactions,
      long configVersion) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration retention;
  private final int rowsPerHost;

  public HeartbeatStore(Jdbi jdbi, Clock clock, Duration retention, int rowsPerHost) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.retention = retention;
    this.rowsPerHost = rowsPerHost;
  }

  /** Stores a heartbeat and drops the host's rows past retention or past the row limit. */
  public void record(String enterpriseId, String propertyId, String deviceId, Heartbeat beat) {
    long now = clock.millis();
    jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  "INSERT INTO service_host_metrics (id, enterprise_id, property_id, device_id,"
                      + " cpu_percent, memory_percent, disk_percent, connection_mode,"
                      + " pending_transactions, config_version, received_at) VALUES (:id, :e, :p,"
                      + " :d, :cpu, :mem, :disk, :mode, :pending, :version, :now)")
              .bind("id", UuidV7.next())
              .bind("e", enterpriseId)
              .bind("p", propertyId)
              .bind("d", deviceId)
              .bind("cpu", beat.cpuPercent())
              .bind("mem", beat.memoryPercent())
              .bind("disk", beat.diskPercent())
              .bind("mode", beat.connectionMode())
              .bind("pending", beat.pendingTransactions())
              .bind("version", beat.configVersion())
              .bind("now", now)
              .execute();
          h.createUpdate(
                  "DELETE FROM service_host_metrics WHERE enterprise_id = :e AND device_id = :d"
                      + " AND received_at < :cutoff")
              .bind("e", enterpriseId)
              .bind("d", deviceId)
              .bind("cutoff", now - retention.toMillis())
              .execute();
          // Keep the newest rowsPerHost: rows older than the one at that position go.
          h.createUpdate(
                  "DELETE FROM service_host_metrics WHERE enterprise_id = :e AND device_id = :d"
                      + " AND id IN (SELECT id FROM service_host_metrics WHERE enterprise_id = :e"
                      + " AND device_id = :d ORDER BY received_at DESC, id DESC"
                      + " LIMIT 1000000 OFFSET :keep)")
              .bind("e", enterpriseId)
              .bind("d", deviceId)
              .bind("keep", rowsPerHost)
              .execute();
        });
  }

  /** The host's stored heartbeats, newest first, as column → value maps (for tests and admins). */
  public List<Map<String, Object>> recent(String enterpriseId, String deviceId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT cpu_percent, memory_percent, disk_percent, connection_mode,"
                        + " pending_transactions, config_version, received_at"
                        + " FROM service_host_metrics WHERE enterprise_id = :e AND device_id = :d"
                        + " ORDER BY received_at DESC, id DESC LIMIT :limit")
                .bind("e", enterpriseId)
                .bind("d", deviceId)
                .bind("limit", limit)
                .mapToMap()
                .list());
  }
}
