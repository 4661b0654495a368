package dev.olympus.edge.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.core.iot.TelemetryPeriod;
import dev.olympus.core.iot.TelemetryResponse;
import dev.olympus.edge.iot.TelemetryStore.Bucket;
import dev.olympus.edge.iot.TelemetryStore.Reading;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.pos.Fields;
import dev.olympus.edge.pos.LanApi;
import dev.olympus.edge.pos.LanRoutes;
import dev.olympus.edge.pos.RequestBody;
import dev.olympus.notify.Notification;
import dev.olympus.notify.Notifier;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hub on the LAN API (wire contract, the same shapes as the cloud's): the location's devices
 * with their last reading, a device's telemetry, the alert log with acknowledge and resolve, the
 * log of notifications sent, and commands to equipment with their acknowledgements. Served from the
 * edge's own store, so all of it works offline.
 */
public final class IotRoutes implements LanRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long OFFLINE_AFTER_MILLIS = 15L * 60_000;
  static final int MAX_READINGS = 50_000;

  private final IotHub hub;
  private final Notifier notifier;
  private final java.util.function.Supplier<String> tenantId;
  private final String locationId;
  private final Clock clock;

  public IotRoutes(
      IotHub hub,
      Notifier notifier,
      java.util.function.Supplier<String> tenantId,
      String locationId,
      Clock clock) {
    this.hub = hub;
    this.notifier = notifier;
    this.tenantId = tenantId;
    this.locationId = locationId;
    this.clock = clock;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/v1/iot/devices", this::devices);
    routes.get("/api/v1/iot/devices/{device_id}/telemetry", this::telemetry);
    routes.get("/api/v1/iot/alerts", this::alerts);
    routes.post("/api/v1/iot/alerts/{alert_id}/acknowledge", ctx -> close(ctx, false));
    routes.post("/api/v1/iot/alerts/{alert_id}/resolve", ctx -> close(ctx, true));
    routes.get("/api/v1/iot/notifications", this::notifications);
    routes.post("/api/v1/iot/devices/{device_id}/commands", this::sendCommand);
    routes.get("/api/v1/iot/devices/{device_id}/commands", this::deviceCommands);
    routes.get("/api/v1/iot/commands/{command_id}", this::command);
  }

  private void devices(Context ctx) {
    List<IotDevice> devices = hub.devices();
    Map<String, Reading> latest =
        hub.store().latest(devices.stream().map(IotDevice::deviceId).toList());
    Set<String> alerting = hub.store().devicesWithOpenAlerts();
    long now = clock.millis();
    List<Map<String, Object>> out = new ArrayList<>();
    for (IotDevice d : devices) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("device_id", d.deviceId());
      m.put("device_type", d.type().wireName());
      m.put("location_id", d.locationId());
      m.put("name", d.name());
      m.put("target_min", d.targetMin());
      m.put("target_max", d.targetMax());
      m.put("unit", d.unit());
      Reading r = latest.get(d.deviceId());
      m.put("last_seen", r == null ? null : Instant.ofEpochMilli(r.ts()).toString());
      m.put("last_value", r == null ? null : lastValue(r));
      m.put(
          "status",
          r == null
              ? "unknown"
              : alerting.contains(d.deviceId())
                  ? "alert"
                  : now - r.ts() > OFFLINE_AFTER_MILLIS ? "offline" : "ok");
      out.add(m);
    }
    ctx.json(Map.of("devices", out));
  }

  private static Object lastValue(Reading r) {
    if (r.value() != null) {
      return r.value();
    }
    if (r.open() != null) {
      return r.open();
    }
    return r.state();
  }

  private void telemetry(Context ctx) {
    String deviceId = Fields.requireId(ctx.pathParam("device_id"), "device_id");
    String periodText =
        ctx.queryParamMap().containsKey("period") ? ctx.queryParam("period") : "24h";
    long period;
    String resolution;
    try {
      period = TelemetryPeriod.parse(periodText);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_field", e.getMessage(), "period");
    }
    try {
      resolution = TelemetryPeriod.resolution(ctx.queryParam("resolution"), period);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_field", e.getMessage(), "resolution");
    }
    IotDevice device = device(deviceId);
    long to = clock.millis() + 1;
    long from = to - period;
    List<Map<String, Object>> readings = new ArrayList<>();
    boolean truncated = false;
    if (resolution.equals("raw")) {
      List<Reading> raw = hub.store().readings(deviceId, from, to, MAX_READINGS + 1);
      truncated = raw.size() > MAX_READINGS;
      for (Reading r : raw.subList(0, Math.min(raw.size(), MAX_READINGS))) {
        readings.add(
            TelemetryResponse.reading(
                r.ts(), r.value(), r.unit(), r.open(), r.state(), device.unit()));
      }
    } else {
      for (Bucket b :
          hub.store().buckets(deviceId, from, to, TelemetryPeriod.bucketMillis(resolution))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", Instant.ofEpochMilli(b.start()).toString());
        m.put("value", Math.round(b.avg() * 100) / 100.0);
        m.put("unit", device.unit());
        m.put("min", b.min());
        m.put("max", b.max());
        m.put("count", b.count());
        readings.add(m);
      }
    }
    ctx.json(TelemetryResponse.of(deviceId, periodText, resolution, readings, truncated));
  }

  private void alerts(Context ctx) {
    String status =
        Optional.ofNullable(ctx.queryParam("status")).filter(s -> !s.isEmpty()).orElse("open");
    if (!status.equals("open") && !status.equals("all")) {
      throw new ApiException(
          400,
          "invalid_field",
          "status must be open or all, was '" + abbreviate(status) + "'",
          "status");
    }
    int limit = limit(ctx);
    List<JsonNode> out = new ArrayList<>();
    for (String json : hub.store().alertsJson(status.equals("open"), limit)) {
      out.add(read(json));
    }
    ctx.json(Map.of("alerts", out));
  }

  private void close(Context ctx, boolean resolve) {
    String alertId = Fields.requireId(ctx.pathParam("alert_id"), "alert_id");
    JsonNode body = RequestBody.object(ctx, "{\"by\": \"Maria\"}", 4_096, "send only by");
    String by = Fields.text(body, "by", "by", 200, "who acknowledges or resolves the alert");
    String status =
        hub.store()
            .alertStatus(alertId)
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "not_found",
                        "no alert '" + alertId + "' at this location",
                        "alert_id"));
    if (status.equals("resolved")) {
      throw new ApiException(409, "conflict", "alert " + alertId + " is already resolved", null);
    }
    Optional<Alert> closed = resolve ? hub.resolve(alertId, by) : hub.acknowledge(alertId, by);
    if (closed.isEmpty()) {
      throw new ApiException(409, "conflict", "alert " + alertId + " is no longer open", null);
    }
    ctx.json(closed.get().toWire());
  }

  private void notifications(Context ctx) {
    String alertId = ctx.queryParam("alert_id");
    if (alertId != null) {
      Fields.requireId(alertId, "alert_id");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    String tenant = tenantId.get();
    List<Notification> log =
        tenant == null ? List.of() : notifier.history(tenant, locationId, alertId, limit(ctx));
    for (Notification n : log) {
      out.add(n.toJson());
    }
    ctx.json(Map.of("notifications", out));
  }

  /** The largest command request body. */
  static final int MAX_COMMAND_BODY = 8_192;

  /** The largest {@code params} object of a command, as JSON. */
  static final int MAX_PARAMS_BYTES = 4_096;

  private static final int MAX_VALUE_CHARS = 256;
  private static final Pattern ACTION = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
  private static final Set<String> COMMAND_FIELDS = Set.of("action", "value", "params");

  private void sendCommand(Context ctx) {
    String deviceId = Fields.requireId(ctx.pathParam("device_id"), "device_id");
    String key = RequestBody.idempotencyKey(ctx);
    JsonNode body =
        RequestBody.object(
            ctx,
            "{\"action\": \"set_point\", \"value\": 36}",
            MAX_COMMAND_BODY,
            "send only action, value and a small params object");
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!COMMAND_FIELDS.contains(name)) {
        throw new ApiException(
            400,
            "invalid_field",
            abbreviate(name) + " is not a field of a command: send action, value and params",
            abbreviate(name));
      }
    }
    String action =
        Fields.text(body, "action", "action", 64, "what the device should do, such as set_point");
    if (!ACTION.matcher(action).matches()) {
      throw new ApiException(
          400,
          "invalid_field",
          "action must be a name of letters, digits and _ . - starting with a letter, such as"
              + " set_point, was '"
              + abbreviate(action)
              + "'",
          "action");
    }
    JsonNode value = body.get("value");
    if (value != null && value.isNull()) {
      value = null;
    }
    if (value != null) {
      if (value.isTextual()) {
        if (value.asText().length() > MAX_VALUE_CHARS) {
          throw new ApiException(
              400,
              "invalid_field",
              "value must be at most " + MAX_VALUE_CHARS + " characters as a string",
              "value");
        }
      } else if (value.isNumber() && !Double.isFinite(value.asDouble())) {
        throw new ApiException(
            400, "invalid_field", "value must be a finite number, was " + value, "value");
      } else if (!value.isNumber() && !value.isBoolean()) {
        throw new ApiException(
            400,
            "invalid_field",
            "value must be a number, a string or a boolean, was "
                + value.getNodeType().name().toLowerCase(Locale.ROOT),
            "value");
      }
    }
    JsonNode params = body.get("params");
    if (params != null && params.isNull()) {
      params = null;
    }
    if (params != null) {
      if (!params.isObject()) {
        throw new ApiException(
            400,
            "invalid_field",
            "params must be a JSON object, was "
                + params.getNodeType().name().toLowerCase(Locale.ROOT),
            "params");
      }
      int size = params.toString().getBytes(StandardCharsets.UTF_8).length;
      if (size > MAX_PARAMS_BYTES) {
        throw new ApiException(
            400,
            "invalid_field",
            "params must be at most " + MAX_PARAMS_BYTES + " bytes as JSON, was " + size,
            "params");
      }
    }
    IotDevice device = device(deviceId);
    if (device.type().isSensor()) {
      throw new ApiException(
          409,
          "conflict",
          "device "
              + deviceId
              + " is a "
              + device.type().wireName()
              + " sensor and takes no commands: only equipment (cooler, oven, hvac) does",
          "device_id");
    }
    DeviceCommands.Issued issued = hub.commands().issue(device, action, value, params, key);
    DeviceCommands.Command c = issued.command();
    if (issued.replayed()) {
      if (!c.sameRequest(deviceId, action, value, params)) {
        throw new ApiException(
            409,
            "conflict",
            "the Idempotency-Key was used for another command ("
                + c.commandId()
                + " to "
                + c.deviceId()
                + "): use a new key for a new command",
            LanApi.IDEMPOTENCY_HEADER);
      }
      ctx.header(LanApi.REPLAYED_HEADER, "true");
    }
    ctx.status(202).json(c.toJson());
  }

  private void deviceCommands(Context ctx) {
    String deviceId = Fields.requireId(ctx.pathParam("device_id"), "device_id");
    int limit = limit(ctx);
    device(deviceId);
    List<Map<String, Object>> out = new ArrayList<>();
    for (DeviceCommands.Command c : hub.commands().forDevice(deviceId, limit)) {
      out.add(c.toJson());
    }
    ctx.json(Map.of("device_id", deviceId, "commands", out));
  }

  private void command(Context ctx) {
    String commandId = Fields.requireId(ctx.pathParam("command_id"), "command_id");
    DeviceCommands.Command c =
        hub.commands()
            .find(commandId)
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "not_found",
                        "no command '" + commandId + "' at this location",
                        "command_id"));
    ctx.json(c.toJson());
  }

  /** A registered device of this location, or a 404 naming {@code device_id}. */
  private IotDevice device(String deviceId) {
    return hub.devices().stream()
        .filter(d -> d.deviceId().equals(deviceId))
        .findFirst()
        .orElseThrow(
            () ->
                new ApiException(
                    404,
                    "not_found",
                    "no IoT device '"
                        + deviceId
                        + "' at this location: GET /api/v1/iot/devices lists them",
                    "device_id"));
  }

  private static int limit(Context ctx) {
    String text = ctx.queryParam("limit");
    if (text == null || text.isEmpty()) {
      return 100;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(
        400,
        "invalid_field",
        "limit must be a whole number from 1 to 1000, was '" + abbreviate(text) + "'",
        "limit");
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
