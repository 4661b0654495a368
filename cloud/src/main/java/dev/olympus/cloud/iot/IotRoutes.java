package dev.olympus.cloud.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.auth.Principal;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Responses;
import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertStatus;
import dev.olympus.core.iot.DeviceType;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.core.iot.TelemetryPeriod;
import dev.olympus.core.iot.TelemetryResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The cloud's IoT API (wire contract): the sensor registry, telemetry queries, the alert log and
 * the edges' telemetry batches. Every path exists twice: under {@code /api/v1/iot} with a device
 * token of the tenant (the tenant is the token's), and under {@code
 * /api/v1/admin/tenants/{tenant}/iot} with the admin token. A registration under {@code
 * /api/v1/iot/devices} also takes the admin token: its location names the tenant.
 */
public final class IotRoutes {
  private static final String DEVICE_BASE = "/api/v1/iot";
  private static final String ADMIN_BASE = "/api/v1/admin/tenants/{tenant}/iot";
  private static final long OFFLINE_AFTER_MILLIS = 15L * 60_000;

  /** Most readings one query answers; {@code "truncated": true} says more were there. */
  static final int MAX_READINGS = 50_000;

  /** Most alert ids one {@code GET …/alerts?ids=} names. */
  static final int MAX_IDS = 100;

  private final Authenticator auth;
  private final Bodies bodies;
  private final Bodies batchBodies;
  private final Directory directory;
  private final IotDevices devices;
  private final TelemetryStore telemetry;
  private final AlertLog alerts;
  private final EdgeBatches batches;
  private final DirectIngest direct;
  private final Clock clock;

  public IotRoutes(
      Authenticator auth,
      Bodies bodies,
      Bodies batchBodies,
      Directory directory,
      IotDevices devices,
      TelemetryStore telemetry,
      AlertLog alerts,
      EdgeBatches batches,
      DirectIngest direct,
      Clock clock) {
    this.auth = auth;
    this.bodies = bodies;
    this.batchBodies = batchBodies;
    this.directory = directory;
    this.devices = devices;
    this.telemetry = telemetry;
    this.alerts = alerts;
    this.batches = batches;
    this.direct = direct;
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.post(DEVICE_BASE + "/telemetry/batches", this::batch);
    for (String base : List.of(DEVICE_BASE, ADMIN_BASE)) {
      routes.post(base + "/devices", this::registerDevice);
      routes.get(base + "/devices", this::listDevices);
      routes.get(base + "/devices/{device_id}/telemetry", this::telemetry);
      routes.get(base + "/alerts", this::listAlerts);
      routes.post(base + "/alerts/{alert_id}/acknowledge", ctx -> close(ctx, false));
      routes.post(base + "/alerts/{alert_id}/resolve", ctx -> close(ctx, true));
    }
  }

  private IotScope scope(Context ctx) {
    return IotScope.of(ctx, auth, directory);
  }

  private void registerDevice(Context ctx) {
    String tenantId;
    ObjectNode body;
    if (ctx.pathParamMap().containsKey("tenant")) {
      tenantId = scope(ctx).tenantId();
      body = bodies.object(ctx);
    } else {
      auth.requireAdmin(ctx);
      body = bodies.object(ctx);
      String location = Bodies.requireText(body, "location_id");
      tenantId =
          directory
              .findLocation(location)
              .orElseThrow(
                  () ->
                      new ApiException(
                          404,
                          "not_found",
                          "no location '" + Bodies.abbreviate(location) + "': create it first",
                          "location_id"))
              .tenantId();
    }
    IotDevices.Registered r = devices.register(tenantId, body);
    direct.devicesChanged(tenantId);
    Map<String, Object> out = deviceJson(r.device());
    out.put("mqtt_username", r.device().deviceId());
    out.put("mqtt_password", r.mqttPassword());
    Responses.json(ctx, 201, out);
  }

  private void listDevices(Context ctx) {
    IotScope scope = scope(ctx);
    String tenantId = scope.tenantId();
    List<IotDevice> list = devices.list(tenantId, scope.location(ctx));
    List<String> ids = list.stream().map(IotDevice::deviceId).toList();
    Map<String, TelemetryStore.Reading> latest = telemetry.latest(tenantId, ids);
    Set<String> alerting = new HashSet<>(alerts.devicesWithOpenAlerts(tenantId));
    long now = clock.millis();
    List<Map<String, Object>> out = new ArrayList<>();
    for (IotDevice d : list) {
      Map<String, Object> m = deviceJson(d);
      TelemetryStore.Reading last = latest.get(d.deviceId());
      m.put("last_seen", last == null ? null : Instant.ofEpochMilli(last.ts()).toString());
      m.put("last_value", last == null ? null : lastValue(last));
      String status;
      if (alerting.contains(d.deviceId())) {
        status = "alert";
      } else if (last == null) {
        status = "unknown";
      } else if (now - last.ts() > OFFLINE_AFTER_MILLIS) {
        status = "offline";
      } else {
        status = "ok";
      }
      m.put("status", status);
      out.add(m);
    }
    Responses.json(ctx, 200, Map.of("devices", out));
  }

  private static Object lastValue(TelemetryStore.Reading r) {
    if (r.value() != null) {
      return r.value();
    }
    if (r.open() != null) {
      return r.open();
    }
    return r.state();
  }

  private static Map<String, Object> deviceJson(IotDevice d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device_id", d.deviceId());
    m.put("device_type", d.type().wireName());
    m.put("location_id", d.locationId());
    m.put("name", d.name());
    m.put("target_min", d.targetMin());
    m.put("target_max", d.targetMax());
    m.put("unit", d.unit());
    return m;
  }

  private void telemetry(Context ctx) {
    IotScope scope = scope(ctx);
    String tenantId = scope.tenantId();
    String deviceId = ctx.pathParam("device_id");
    String periodText =
        ctx.queryParamMap().containsKey("period") ? ctx.queryParam("period") : "24h";
    long period = period(periodText);
    String resolution;
    try {
      resolution = TelemetryPeriod.resolution(ctx.queryParam("resolution"), period);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("resolution", e.getMessage());
    }
    IotDevice device =
        devices
            .find(tenantId, deviceId)
            .filter(d -> scope.covers(d.locationId()))
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no IoT device '"
                            + Bodies.abbreviate(deviceId)
                            + "' in this tenant: GET /api/v1/iot/devices lists them"));
    long to = clock.millis();
    long from = to - period;
    List<Map<String, Object>> readings = new ArrayList<>();
    boolean truncated;
    if (resolution.equals("raw")) {
      List<TelemetryStore.Reading> raw =
          telemetry.raw(tenantId, deviceId, from, to, MAX_READINGS + 1);
      truncated = raw.size() > MAX_READINGS;
      for (TelemetryStore.Reading r : raw.subList(0, Math.min(raw.size(), MAX_READINGS))) {
        readings.add(
            TelemetryResponse.reading(
                r.ts(), r.value(), r.unit(), r.open(), r.state(), device.unit()));
      }
    } else {
      int seconds = resolution.equals("5m") ? TelemetryStore.FIVE_MINUTES : TelemetryStore.ONE_HOUR;
      List<TelemetryStore.Bucket> buckets =
          telemetry.rollups(tenantId, deviceId, seconds, from, to, MAX_READINGS + 1);
      truncated = buckets.size() > MAX_READINGS;
      for (TelemetryStore.Bucket b : buckets.subList(0, Math.min(buckets.size(), MAX_READINGS))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", Instant.ofEpochMilli(b.bucket()).toString());
        if (b.avg() != null) {
          m.put("value", b.avg());
          m.put("unit", b.unit() != null ? b.unit() : device.unit());
          m.put("min", b.min());
          m.put("max", b.max());
        }
        if (device.type() == DeviceType.DOOR) {
          m.put("open", b.openCount() > 0);
          m.put("open_count", b.openCount());
        }
        m.put("count", b.count());
        readings.add(m);
      }
    }
    Responses.json(
        ctx, 200, TelemetryResponse.of(deviceId, periodText, resolution, readings, truncated));
  }

  /** A period {@code <number><m|h|d>} between 15m and 365d, in milliseconds. */
  static long period(String text) {
    try {
      return TelemetryPeriod.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("period", e.getMessage());
    }
  }

  private void listAlerts(Context ctx) {
    IotScope scope = scope(ctx);
    String tenantId = scope.tenantId();
    String status = ctx.queryParam("status");
    if (status == null || status.isEmpty()) {
      status = "open";
    }
    if (!status.equals("open") && !status.equals("all")) {
      throw ApiException.invalidField(
          "status", "status must be open or all, was '" + Bodies.abbreviate(status) + "'");
    }
    int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
    List<String> ids = alertIds(ctx.queryParam("ids"));
    List<Map<String, Object>> out =
        alerts.list(tenantId, scope.location(ctx), status.equals("open"), ids, limit).stream()
            .map(Alert::toWire)
            .toList();
    Responses.json(ctx, 200, Map.of("alerts", out));
  }

  /**
   * {@code ?ids=a,b,c}: the alerts an edge still has open, whose state in the cloud it asks for
   * (empty: no filter). At most {@link #MAX_IDS}, each an alert id.
   */
  static List<String> alertIds(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (String id : text.split(",", -1)) {
      String trimmed = id.trim();
      if (trimmed.isEmpty() || trimmed.length() > 100) {
        throw ApiException.invalidField(
            "ids", "ids must be alert ids separated by commas, each 1 to 100 characters");
      }
      ids.add(trimmed);
    }
    if (ids.size() > MAX_IDS) {
      throw ApiException.invalidField(
          "ids", "ids names at most " + MAX_IDS + " alerts, was " + ids.size());
    }
    return List.copyOf(new java.util.LinkedHashSet<>(ids));
  }

  private void close(Context ctx, boolean resolve) {
    IotScope scope = scope(ctx);
    String tenantId = scope.tenantId();
    String alertId = ctx.pathParam("alert_id");
    JsonNode body = bodies.object(ctx);
    String by = Bodies.requireText(body, "by");
    if (by.isBlank() || by.length() > 200) {
      throw ApiException.invalidField("by", "by must name who acts, 1 to 200 characters");
    }
    Alert stored =
        alerts
            .find(tenantId, alertId)
            .filter(a -> scope.covers(a.locationId()))
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no alert '" + Bodies.abbreviate(alertId) + "' in this tenant"));
    if (stored.status() == AlertStatus.RESOLVED) {
      throw ApiException.conflict("alert " + alertId + " is already resolved", null);
    }
    Instant now = clock.instant();
    Alert updated =
        direct
            .closeInEngine(tenantId, alertId, by, resolve)
            .orElseGet(() -> closed(stored, by, now, resolve));
    alerts.upsert(updated, now.toEpochMilli());
    Alert result = alerts.find(tenantId, alertId).orElse(updated);
    org.slf4j.LoggerFactory.getLogger(IotRoutes.class)
        .info("IoT alert {} {} by {}", alertId, resolve ? "resolved" : "acknowledged", by);
    Responses.json(ctx, 200, result.toWire());
  }

  private static Alert closed(Alert a, String by, Instant now, boolean resolve) {
    boolean firstAck = a.acknowledgedAt() == null;
    return new Alert(
        a.alertId(),
        a.tenantId(),
        a.locationId(),
        a.deviceId(),
        a.rule(),
        a.severity(),
        resolve ? AlertStatus.RESOLVED : AlertStatus.ACKNOWLEDGED,
        a.startedAt(),
        a.raisedAt(),
        firstAck && !resolve ? now : a.acknowledgedAt(),
        // Resolving unacknowledged names its resolver, as the engine does: an edge learns who.
        a.acknowledgedBy() == null ? by : a.acknowledgedBy(),
        resolve ? now : null,
        a.value(),
        a.threshold(),
        a.escalations(),
        a.message());
  }

  private void batch(Context ctx) {
    Principal p = auth.authenticate(ctx);
    if (!(p instanceof Principal.Device d) || !d.isEdge()) {
      throw ApiException.forbidden(
          "telemetry batches come from an edge: use the edge's device token (type olympus_edge)");
    }
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(
          415,
          "unsupported_media_type",
          "send Content-Type: application/json (gzip with Content-Encoding: gzip), was "
              + (type == null ? "none" : "'" + Bodies.abbreviate(type) + "'"),
          null);
    }
    String encoding = ctx.header("Content-Encoding");
    byte[] raw = batchBodies.bytes(ctx);
    byte[] json;
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      json = raw;
    } else if (encoding.equalsIgnoreCase("gzip")) {
      json = batches.inflate(raw);
    } else {
      throw new ApiException(
          415,
          "unsupported_media_type",
          "Content-Encoding must be gzip or left out, was '" + Bodies.abbreviate(encoding) + "'",
          null);
    }
    EdgeBatches.Result r =
        batches.apply(d.tenantId(), d.locationId(), d.deviceId(), bodies.object(json));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("batch_id", r.batchId());
    out.put("accepted", r.accepted());
    out.put("rejected", r.rejected());
    out.put("duplicate", r.duplicate());
    Responses.json(ctx, 200, out);
  }
}
