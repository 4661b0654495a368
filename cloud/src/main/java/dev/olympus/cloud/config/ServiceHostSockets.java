package dev.olympus.cloud.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.auth.DeviceRegistry;
import dev.olympus.cloud.auth.DeviceTokens;
import dev.olympus.cloud.auth.DeviceType;
import dev.olympus.cloud.http.Json;
import dev.olympus.web.realtime.CloseCodes;
import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsErrorContext;
import io.javalin.websocket.WsMessageContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/service-host}: each property's edge hears {@code config:updated} (debounced, so a
 * burst of admin edits is one message with the last version), {@code config:urgent} (at once:
 * someone lost a permission) and {@code sync:required}. Only an {@code olympus_edge} device token
 * is admitted, for its own device id; the token decides the property.
 *
 * <p>Messages are hints: a lost one costs at most one heartbeat (30 s) of latency, because the
 * heartbeat answer carries the latest version too.
 */
public final class ServiceHostSockets implements AutoCloseable {
  public static final String PATH = "/ws/service-host";
  private static final Logger log = LoggerFactory.getLogger(ServiceHostSockets.class);
  private static final String ATTR = "olympus.serviceHost";

  /** One connected host. Sends are serialised: Jetty wants one writer at a time. */
  private record Host(WsContext ctx, String enterpriseId, String propertyId, String deviceId) {
    synchronized void send(String text) {
      try {
        ctx.session.sendText(text, Callback.NOOP);
      } catch (RuntimeException e) {
        log.debug("cannot send to service host {}: {}", deviceId, e.toString());
      }
    }
  }

  private final DeviceRegistry devices;
  private final ConfigStore store;
  private final Clock clock;
  private final Duration debounce;
  private final Duration heartbeat;
  private final Map<String, Set<Host>> byProperty = new ConcurrentHashMap<>();
  private final Map<String, Long> pendingVersions = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "olympus-service-host-push");
            t.setDaemon(true);
            return t;
          });

  public ServiceHostSockets(
      DeviceRegistry devices,
      ConfigStore store,
      Clock clock,
      Duration debounce,
      Duration heartbeat) {
    this.devices = devices;
    this.store = store;
    this.clock = clock;
    this.debounce = debounce;
    this.heartbeat = heartbeat;
    scheduler.scheduleAtFixedRate(
        this::heartbeatTick, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void register(JavalinConfig config) {
    config.routes.ws(
        PATH,
        ws -> {
          ws.onConnect(this::onConnect);
          ws.onMessage(this::onMessage);
          ws.onClose(this::onClose);
          ws.onError(this::onError);
        });
  }

  // ---- what the config service calls ----

  /**
   * A new version of the property's config; sent after the debounce with the latest version
   * reported meanwhile.
   */
  public void configUpdated(String propertyId, long version) {
    boolean[] first = {false};
    pendingVersions.compute(
        propertyId,
        (p, old) -> {
          first[0] = old == null;
          return old == null ? version : Math.max(old, version);
        });
    if (first[0]) {
      scheduler.schedule(() -> flush(propertyId), debounce.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** An urgent change: sent at once. */
  public void configUrgent(
      String propertyId, long version, String entityType, String entityId, String reason) {
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", "config:urgent");
    frame.put("property_id", propertyId);
    frame.put("version", version);
    frame.put("entity_type", entityType);
    frame.put("entity_id", entityId);
    frame.put("reason", reason);
    broadcast(propertyId, Json.write(frame));
  }

  /** The property's host must full-sync. */
  public void syncRequired(String propertyId, String reason) {
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", "sync:required");
    frame.put("property_id", propertyId);
    frame.put("reason", reason);
    broadcast(propertyId, Json.write(frame));
  }

  /** Connected hosts of a property (for status and tests). */
  public int connections(String propertyId) {
    return byProperty.getOrDefault(propertyId, Set.of()).size();
  }

  private void flush(String propertyId) {
    Long version = pendingVersions.remove(propertyId);
    if (version == null) {
      return;
    }
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", "config:updated");
    frame.put("property_id", propertyId);
    frame.put("version", version);
    broadcast(propertyId, Json.write(frame));
  }

  private void broadcast(String propertyId, String text) {
    for (Host host : byProperty.getOrDefault(propertyId, Set.of())) {
      host.send(text);
    }
  }

  private void heartbeatTick() {
    String frame =
        "{\"type\":\"heartbeat\",\"ts\":\"" + Instant.ofEpochMilli(clock.millis()) + "\"}";
    byProperty.values().forEach(hosts -> hosts.forEach(h -> h.send(frame)));
  }

  // ---- WebSocket events ----

  private void onConnect(WsConnectContext ctx) {
    String token = bearer(ctx.header("Authorization"));
    if (token == null) {
      token = ctx.queryParam("access_token");
    }
    if (token == null || token.isBlank()) {
      refuse(
          ctx,
          CloseCodes.UNAUTHORIZED,
          "no token: send Authorization: Bearer <edge device token> or ?access_token=");
      return;
    }
    String deviceId = ctx.queryParam("device_id");
    if (deviceId == null || deviceId.isBlank()) {
      refuse(ctx, CloseCodes.BAD_REQUEST, "device_id is a required query parameter");
      return;
    }
    Optional<DeviceRegistry.DeviceRow> row =
        token.startsWith(DeviceTokens.PREFIX)
            ? devices.findActiveByTokenHash(DeviceTokens.sha256(token))
            : Optional.empty();
    if (row.isEmpty()) {
      refuse(
          ctx,
          CloseCodes.UNAUTHORIZED,
          "unknown or revoked token: connect with the edge's device token (oly_…)");
      return;
    }
    DeviceRegistry.DeviceRow d = row.get();
    if (!DeviceType.OLYMPUS_EDGE.equals(d.deviceType())) {
      refuse(
          ctx,
          CloseCodes.FORBIDDEN,
          "only a service host (olympus_edge) connects here, not a " + d.deviceType());
      return;
    }
    String asked = ctx.queryParam("property_id");
    if (!d.deviceId().equals(deviceId)
        || (asked != null && !asked.isBlank() && !asked.equals(d.locationId()))) {
      refuse(
          ctx,
          CloseCodes.FORBIDDEN,
          "the token belongs to device " + d.deviceId() + " of property " + d.locationId());
      return;
    }
    ctx.session.setIdleTimeout(heartbeat.multipliedBy(4).plusSeconds(1));
    Host host = new Host(ctx, d.tenantId(), d.locationId(), d.deviceId());
    ctx.attribute(ATTR, host);
    byProperty.computeIfAbsent(d.locationId(), p -> ConcurrentHashMap.newKeySet()).add(host);
    Map<String, Object> welcome = new LinkedHashMap<>();
    welcome.put("type", "welcome");
    welcome.put("property_id", d.locationId());
    welcome.put("device_id", d.deviceId());
    welcome.put("version", store.state(d.locationId(), d.tenantId()).version());
    welcome.put("heartbeat_seconds", heartbeat.toMillis() / 1000.0);
    host.send(Json.write(welcome));
  }

  private void onMessage(WsMessageContext ctx) {
    Host host = ctx.attribute(ATTR);
    if (host == null) {
      return;
    }
    String type = null;
    try {
      JsonNode f = Json.MAPPER.readTree(ctx.message());
      if (f != null && f.get("type") != null && f.get("type").isTextual()) {
        type = f.get("type").textValue();
      }
    } catch (Exception e) {
      type = null;
    }
    if ("ping".equals(type)) {
      host.send("{\"type\":\"pong\"}");
    } else if (!"pong".equals(type)) {
      host.send(
          "{\"type\":\"error\",\"error\":\"unknown_type\",\"message\":\"a service host sends"
              + " JSON frames of type ping or pong\"}");
    }
  }

  private void onClose(WsCloseContext ctx) {
    leave(ctx.attribute(ATTR));
  }

  private void onError(WsErrorContext ctx) {
    leave(ctx.attribute(ATTR));
  }

  private void leave(Host host) {
    if (host != null) {
      byProperty.computeIfPresent(
          host.propertyId(),
          (p, hosts) -> {
            hosts.remove(host);
            return hosts.isEmpty() ? null : hosts;
          });
    }
  }

  private static void refuse(WsContext ctx, int code, String reason) {
    ctx.closeSession(code, reason.length() <= 120 ? reason : reason.substring(0, 120));
  }

  private static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = header.substring(7).strip();
    return t.isEmpty() ? null : t;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    byProperty.values().forEach(hosts -> hosts.forEach(h -> closeQuietly(h)));
    byProperty.clear();
  }

  private static void closeQuietly(Host h) {
    try {
      h.ctx().closeSession(CloseCodes.GOING_AWAY, "the cloud is shutting down");
    } catch (RuntimeException e) {
      // Closing anyway.
    }
  }
}
