package dev.olympus.cloud.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.sync.SyncConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Tenants, their locations, and each tenant's sync configuration. */
public final class Directory {
  public record Tenant(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("created_at") long createdAt) {}

  public record Location(
      @JsonProperty("tenant_id") String tenantId,
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("created_at") long createdAt) {}

  private record ParsedConfig(String json, SyncConfig config) {}

  private final Jdbi jdbi;
  private final Clock clock;
  // Parsed configs by tenant, re-parsed only when the stored JSON changes (another instance may
  // have replaced it), so a push reads one short row instead of parsing a document each time.
  private final Map<String, ParsedConfig> configs = new ConcurrentHashMap<>();

  public Directory(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Creates a tenant with the default sync configuration; false when the id is taken. */
  public boolean createTenant(String id, String name) {
    long now = clock.millis();
    return jdbi.inTransaction(
        h -> {
          if (findTenant(h, id).isPresent()) {
            return false;
          }
          h.createUpdate("INSERT INTO tenants (id, name, created_at) VALUES (:id, :name, :now)")
              .bind("id", id)
              .bind("name", name)
              .bind("now", now)
              .execute();
          h.createUpdate("INSERT INTO tenant_seq (tenant_id, last_seq) VALUES (:id, 0)")
              .bind("id", id)
              .execute();
          h.createUpdate(
                  "INSERT INTO sync_configs (tenant_id, config, updated_at) VALUES (:id, :c, :now)")
              .bind("id", id)
              .bind("c", Json.write(SyncConfig.defaults()))
              .bind("now", now)
              .execute();
          return true;
        });
  }

  public Optional<Tenant> findTenant(String id) {
    return jdbi.withHandle(h -> findTenant(h, id));
  }

  private static Optional<Tenant> findTenant(Handle h, String id) {
    return h.createQuery("SELECT id, name, created_at FROM tenants WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> new Tenant(rs.getString(1), rs.getString(2), rs.getLong(3)))
        .findOne();
  }

  public List<Tenant> listTenants() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT id, name, created_at FROM tenants ORDER BY id")
                .map((rs, ctx) -> new Tenant(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .list());
  }

  /** Creates a location; false when the id is taken (location ids are unique across tenants). */
  public boolean createLocation(String tenantId, String id, String name) {
    return jdbi.inTransaction(
        h -> {
          if (findLocation(h, id).isPresent()) {
            return false;
          }
          h.createUpdate(
                  "INSERT INTO locations (id, tenant_id, name, created_at)"
                      + " VALUES (:id, :t, :name, :now)")
              .bind("id", id)
              .bind("t", tenantId)
              .bind("name", name)
              .bind("now", clock.millis())
              .execute();
          return true;
        });
  }

  public Optional<Location> findLocation(String id) {
    return jdbi.withHandle(h -> findLocation(h, id));
  }

  private static Optional<Location> findLocation(Handle h, String id) {
    return h.createQuery("SELECT tenant_id, id, name, created_at FROM locations WHERE id = :id")
        .bind("id", id)
        .map(
            (rs, ctx) ->
                new Location(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
        .findOne();
  }

  public List<Location> listLocations(String tenantId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tenant_id, id, name, created_at FROM locations WHERE tenant_id = :t"
                        + " ORDER BY id")
                .bind("t", tenantId)
                .map(
                    (rs, ctx) ->
                        new Location(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                .list());
  }

  public SyncConfig syncConfig(String tenantId) {
    return jdbi.withHandle(h -> syncConfig(h, tenantId));
  }

  /** The tenant's sync configuration as seen inside {@code h}'s transaction. */
  public SyncConfig syncConfig(Handle h, String tenantId) {
    String json =
        h.createQuery("SELECT config FROM sync_configs WHERE tenant_id = :t")
            .bind("t", tenantId)
            .mapTo(String.class)
            .findOne()
            .orElse(null);
    if (json == null) {
      return SyncConfig.defaults();
    }
    ParsedConfig cached = configs.get(tenantId);
    if (cached != null && cached.json().equals(json)) {
      return cached.config();
    }
    try {
      SyncConfig config = Json.MAPPER.readValue(json, SyncConfig.class);
      configs.put(tenantId, new ParsedConfig(json, config));
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the stored sync_config of tenant " + tenantId + " is unreadable: " + e.getMessage(), e);
    }
  }

  /** Replaces the tenant's sync configuration (validated by the caller). */
  public void replaceSyncConfig(String tenantId, SyncConfig config) {
    String json = Json.write(config);
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE sync_configs SET config = :c, updated_at = :now WHERE tenant_id = :t")
                .bind("c", json)
                .bind("now", clock.millis())
                .bind("t", tenantId)
                .execute());
    configs.put(tenantId, new ParsedConfig(json, config));
  }
}
