package dev.olympus.cloud.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.auth.Principal;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Responses;
import dev.olympus.core.config.DeltaPlan;
import dev.olympus.core.config.DeltaSyncPayload;
import dev.olympus.core.config.FullSyncPayload;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service host's side of seed 003, with the edge's device token (its property decides what it
 * gets): {@code GET /api/sync/config/full}, {@code GET /api/sync/config/delta?since=}, {@code POST
 * /api/service-hosts/{id}/heartbeat}.
 */
public final class ConfigSyncRoutes {
  private static final int MAX_MODE_LENGTH = 32;

  private final Authenticator auth;
  private final Bodies bodies;
  private final ConfigService config;

  public ConfigSyncRoutes(Authenticator auth, Bodies bodies, ConfigService config) {
    this.auth = auth;
    this.bodies = bodies;
    this.config = config;
  }

  public void register(RoutesConfig routes) {
    routes.get("/api/sync/config/full", this::full);
    routes.get("/api/sync/config/delta", this::delta);
    routes.post("/api/service-hosts/{id}/heartbeat", this::heartbeat);
  }

  private void full(Context ctx) {
    Principal.Device host = requireServiceHost(ctx);
    FullSyncPayload payload = config.store().fullSync(host.locationId(), host.tenantId());
    config.metrics().fullSync();
    Responses.json(ctx, 200, payload);
  }

  private void delta(Context ctx) {
    Principal.Device host = requireServiceHost(ctx);
    String raw = ctx.queryParam("since");
    if (raw == null || raw.isEmpty()) {
      throw new ApiException(
          400,
          "missing_field",
          "since is required: the config version the host holds (0 with no cache)",
          "since");
    }
    long since = Bodies.longParam(ctx, "since", 0);
    DeltaSyncPayload payload = config.store().delta(host.locationId(), host.tenantId(), since);
    config.metrics().delta(payload.fullSyncRequired());
    Responses.json(ctx, 200, payload);
  }

  private void heartbeat(Context ctx) {
    Principal.Device host = requireServiceHost(ctx);
    String id = ctx.pathParam("id");
    if (!id.equals(host.deviceId())) {
      throw ApiException.forbidden(
          "the token belongs to service host "
              + host.deviceId()
              + ", not "
              + Bodies.abbreviate(id)
              + ": post to /api/service-hosts/"
              + host.deviceId()
              + "/heartbeat");
    }
    ObjectNode body = bodies.object(ctx);
    HeartbeatStore.Heartbeat beat =
        new HeartbeatStore.Heartbeat(
            percent(body, "cpu_percent"),
            percent(body, "memory_percent"),
            percent(body, "disk_percent"),
            mode(body),
            nonNegative(body, "pending_transactions"),
            requiredVersion(body));
    config.heartbeats().record(host.tenantId(), host.locationId(), host.deviceId(), beat);
    config.metrics().heartbeat();
    ConfigStore.PropertyState state = config.store().state(host.locationId(), host.tenantId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("config_version", state.version());
    out.put("action", action(state, beat.configVersion()));
    Responses.json(ctx, 200, out);
  }

  /** What the host should do next: full_sync, delta_sync or nothing (null). */
  static String action(ConfigStore.PropertyState state, long hostVersion) {
    if (state.fullSyncPending()) {
      return "full_sync";
    }
    DeltaPlan plan = DeltaPlan.decide(hostVersion, state.version(), state.horizon());
    if (plan.verdict() != DeltaPlan.Verdict.DELTA) {
      return "full_sync";
    }
    return hostVersion < state.version() ? "delta_sync" : null;
  }

  private Principal.Device requireServiceHost(Context ctx) {
    Principal.Device device = auth.requireDevice(ctx);
    if (!device.isEdge()) {
      throw ApiException.forbidden(
          "config sync is for the property's service host (an olympus_edge device), not a "
              + device.deviceType()
              + ": terminals get config from their edge");
    }
    return device;
  }

  private static Double percent(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw ApiException.invalidField(
          field, field + " must be a number from 0 to 100, was " + Bodies.kind(v));
    }
    double d = v.doubleValue();
    if (!(d >= 0 && d <= 100)) {
      throw ApiException.invalidField(field, field + " must be from 0 to 100, was " + d);
    }
    return d;
  }

  private static String mode(JsonNode body) {
    String mode = Bodies.optionalText(body, "connection_mode").orElse(null);
    if (mode != null && (mode.isBlank() || mode.length() > MAX_MODE_LENGTH)) {
      throw ApiException.invalidField(
          "connection_mode",
          "connection_mode must be a short word such as online or offline, was '"
              + Bodies.abbreviate(mode)
              + "'");
    }
    return mode;
  }

  private static Long nonNegative(JsonNode body, String field) {
    Long v = Bodies.optionalLong(body, field).orElse(null);
    if (v != null && v < 0) {
      throw ApiException.invalidField(field, field + " must not be negative, was " + v);
    }
    return v;
  }

  private static long requiredVersion(JsonNode body) {
    Long v = nonNegative(body, "config_version");
    if (v == null) {
      throw new ApiException(
          400,
          "missing_field",
          "config_version is required: the config version the host holds (0 with no cache)",
          "config_version");
    }
    return v;
  }
}
