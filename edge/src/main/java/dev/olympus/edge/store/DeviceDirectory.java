package dev.olympus.edge.store;

import dev.olympus.core.sync.RecordState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The devices of this edge's location, learned from the cloud's {@code _devices} feed, so the edge
 * can verify its terminals' tokens by SHA-256 while the internet is down. Kept in memory as well:
 * every LAN request checks a token, and the single SQLite connection is better spent on writes.
 */
public final class DeviceDirectory {
  /** The reserved collection the cloud publishes a location's devices in. */
  public static final String COLLECTION = "_devices";

  private final Jdbi jdbi;
  private final Map<String, Device> byTokenHash = new ConcurrentHashMap<>();

  public DeviceDirectory(Jdbi jdbi) {
    this.jdbi = jdbi;
    reload();
  }

  /** A device of the location. */
  public record Device(String deviceId, String deviceType, boolean revoked) {}

  /** The live (not revoked) device whose token this is. */
  public Optional<Device> findByToken(String token) {
    Device d = byTokenHash.get(sha256(token));
    return d == null || d.revoked() ? Optional.empty() : Optional.of(d);
  }

  /** Stores devices (as the feed delivers them) in their own transaction and reloads. */
  public void store(List<RecordState> records) {
    jdbi.useTransaction(h -> apply(h, records));
    reload();
  }

  /** Reloads the in-memory view after the table changed. */
  public void reload() {
    List<Map.Entry<String, Device>> rows =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT token_sha256, device_id, device_type, revoked FROM devices")
                    .map(
                        (rs, ctx) ->
                            Map.entry(
                                rs.getString(1),
                                new Device(rs.getString(2), rs.getString(3), rs.getInt(4) != 0)))
                    .list());
    byTokenHash.clear();
    for (Map.Entry<String, Device> e : rows) {
      byTokenHash.put(e.getKey(), e.getValue());
    }
  }

  /**
   * Stores {@code _devices} records from the feed inside the caller's transaction. A deleted record
   * or one without a token hash revokes the device.
   */
  public static void apply(Handle h, List<RecordState> records) {
    if (records.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO devices (device_id, device_type, token_sha256, revoked) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (device_id) DO UPDATE SET device_type = excluded.device_type,"
                + " token_sha256 = excluded.token_sha256, revoked = excluded.revoked");
    for (RecordState r : records) {
      Object hash = r.data().get("token_sha256");
      Object type = r.data().get("device_type");
      Object deviceId = r.data().getOrDefault("device_id", r.id());
      boolean revoked =
          r.deleted() || Boolean.TRUE.equals(r.data().get("revoked")) || !(hash instanceof String);
      batch
          .bind(0, String.valueOf(deviceId))
          .bind(1, type == null ? "unknown" : String.valueOf(type))
          .bind(2, hash instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : "")
          .bind(3, revoked ? 1 : 0)
          .add();
    }
    batch.execute();
  }

  /** Lower-case hex SHA-256 of a token, as the cloud publishes it. */
  public static String sha256(String token) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
