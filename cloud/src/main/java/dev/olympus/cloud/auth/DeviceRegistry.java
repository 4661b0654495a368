package dev.olympus.cloud.auth;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The devices table: who may call the cloud, and which location each one is scoped to. */
public final class DeviceRegistry {
  /** One registered device; {@code tokenSha256} is all the cloud keeps of its token. */
  public record DeviceRow(
      String tenantId,
      String deviceId,
      String locationId,
      String deviceType,
      String tokenSha256,
      boolean revoked,
      long createdAt) {}

  private static final String COLUMNS =
      "tenant_id, id, location_id, device_type, token_sha256, revoked, created_at";

  private final Jdbi jdbi;
  private final Clock clock;

  public DeviceRegistry(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /**
   * Registers a device, or re-registers a revoked one with a new token.
   *
   * @return the device, or empty when an active device already has this id in the tenant
   */
  public Optional<DeviceRow> register(
      Handle h,
      String tenantId,
      String locationId,
      String deviceId,
      String deviceType,
      String tokenSha256) {
    Optional<DeviceRow> existing = find(h, tenantId, deviceId);
    long now = clock.millis();
    if (existing.isPresent()) {
      if (!existing.get().revoked()) {
        return Optional.empty();
      }
      h.createUpdate(
              "UPDATE devices SET location_id = :loc, device_type = :type, token_sha256 = :hash,"
                  + " revoked = 0, created_at = :now WHERE tenant_id = :t AND id = :id")
          .bind("loc", locationId)
          .bind("type", deviceType)
          .bind("hash", tokenSha256)
          .bind("now", now)
          .bind("t", tenantId)
          .bind("id", deviceId)
          .execute();
    } else {
      h.createUpdate(
              "INSERT INTO devices (" + COLUMNS + ") VALUES (:t, :id, :loc, :type, :hash, 0, :now)")
          .bind("t", tenantId)
          .bind("id", deviceId)
          .bind("loc", locationId)
          .bind("type", deviceType)
          .bind("hash", tokenSha256)
          .bind("now", now)
          .execute();
    }
    return Optional.of(
        new DeviceRow(tenantId, deviceId, locationId, deviceType, tokenSha256, false, now));
  }

  /** Revokes a device; its token stops working at once. Empty when there is no such device. */
  public Optional<DeviceRow> revoke(Handle h, String tenantId, String deviceId) {
    Optional<DeviceRow> existing = find(h, tenantId, deviceId);
    if (existing.isEmpty()) {
      return existing;
    }
    h.createUpdate("UPDATE devices SET revoked = 1 WHERE tenant_id = :t AND id = :id")
        .bind("t", tenantId)
        .bind("id", deviceId)
        .execute();
    DeviceRow d = existing.get();
    return Optional.of(
        new DeviceRow(
            d.tenantId(),
            d.deviceId(),
            d.locationId(),
            d.deviceType(),
            d.tokenSha256(),
            true,
            d.createdAt()));
  }

  public Optional<DeviceRow> find(Handle h, String tenantId, String deviceId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM devices WHERE tenant_id = :t AND id = :id")
        .bind("t", tenantId)
        .bind("id", deviceId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public Optional<DeviceRow> find(String tenantId, String deviceId) {
    return jdbi.withHandle(h -> find(h, tenantId, deviceId));
  }

  /** The active device holding the token with this hash. */
  public Optional<DeviceRow> findActiveByTokenHash(String tokenSha256) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM devices WHERE token_sha256 = :hash AND revoked = 0")
                .bind("hash", tokenSha256)
                .map((rs, ctx) -> row(rs))
                .findOne());
  }

  public List<DeviceRow> listByLocation(String tenantId, String locationId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM devices WHERE tenant_id = :t AND location_id = :loc ORDER BY id")
                .bind("t", tenantId)
                .bind("loc", locationId)
                .map((rs, ctx) -> row(rs))
                .list());
  }

  private static DeviceRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new DeviceRow(
        rs.getString("tenant_id"),
        rs.getString("id"),
        rs.getString("location_id"),
        rs.getString("device_type"),
        rs.getString("token_sha256"),
        rs.getInt("revoked") != 0,
        rs.getLong("created_at"));
  }
}
