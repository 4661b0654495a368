package dev.olympus.cloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.auth.DeviceRegistry;
import dev.olympus.cloud.auth.DeviceTokens;
import dev.olympus.cloud.auth.DeviceType;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Json;
import dev.olympus.cloud.http.Responses;
import dev.olympus.cloud.sync.ConflictLog;
import dev.olympus.cloud.sync.IncomingOp;
import dev.olympus.cloud.sync.OpParser;
import dev.olympus.cloud.sync.ReviewQueue;
import dev.olympus.cloud.sync.SyncStore;
import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.conflict.ChangeApplier;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Strategy;
import dev.olympus.core.sync.SyncConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** The operator API under {@code /api/v1/admin}: tenants, locations, devices, config, review. */
public final class AdminRoutes {
  /** The reserved collection through which edges learn their location's devices. */
  public static final String DEVICES_COLLECTION = "_devices";

  private static final Pattern NAME = Pattern.compile("\\S.{0,199}", Pattern.DOTALL);
  private static final String T = "/api/v1/admin/tenants/{tenant}";

  private final Authenticator auth;
  private final Bodies bodies;
  private final Directory directory;
  private final DeviceRegistry devices;
  private final DeviceTokens tokens;
  private final SyncStore store;
  private final ReviewQueue reviewQueue;
  private final ConflictLog conflicts;
  private final ChangeApplier applier;
  private final HybridLogicalClock clock;

  public AdminRoutes(
      Authenticator auth,
      Bodies bodies,
      Directory directory,
      DeviceRegistry devices,
      DeviceTokens tokens,
      SyncStore store,
      ReviewQueue reviewQueue,
      ConflictLog conflicts,
      ChangeApplier applier,
      HybridLogicalClock clock) {
    this.auth = auth;
    this.bodies = bodies;
    this.directory = directory;
    this.devices = devices;
    this.tokens = tokens;
    this.store = store;
    this.reviewQueue = reviewQueue;
    this.conflicts = conflicts;
    this.applier = applier;
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.before("/api/v1/admin/*", ctx -> auth.requireAdmin(ctx));
    routes.post("/api/v1/admin/tenants", this::createTenant);
    routes.get(
        "/api/v1/admin/tenants",
        ctx -> Responses.json(ctx, 200, Map.of("tenants", directory.listTenants())));
    routes.get(T, ctx -> Responses.json(ctx, 200, tenant(ctx)));
    routes.post(T + "/locations", this::createLocation);
    routes.get(
        T + "/locations",
        ctx ->
            Responses.json(
                ctx, 200, Map.of("locations", directory.listLocations(tenant(ctx).id()))));
    routes.post(T + "/locations/{location}/devices", this::registerDevice);
    routes.get(T + "/locations/{location}/devices", this::listDevices);
    routes.delete(T + "/locations/{location}/devices/{device}", this::revokeDevice);
    routes.get(
        T + "/sync-config",
        ctx ->
            Responses.json(
                ctx, 200, Map.of("sync_config", directory.syncConfig(tenant(ctx).id()))));
    routes.put(T + "/sync-config", this::replaceSyncConfig);
    routes.get(T + "/review-queue", this::listReviewQueue);
    routes.post(T + "/review-queue/{op_id}/requeue", this::requeue);
    routes.post(T + "/review-queue/{op_id}/discard", this::discard);
    routes.get(T + "/conflicts", this::listConflicts);
  }

  private void createTenant(Context ctx) {
    ObjectNode body = bodies.object(ctx);
    String id = Bodies.requireMatching(body, "id", OpParser.ID, OpParser.ID_RULE);
    String name = Bodies.requireMatching(body, "name", NAME, "1-200 characters, not blank");
    if (!directory.createTenant(id, name)) {
      throw ApiException.conflict("tenant '" + id + "' exists already: pick another id", "id");
    }
    Responses.json(ctx, 201, directory.findTenant(id).orElseThrow());
  }

  private Directory.Tenant tenant(Context ctx) {
    String id = ctx.pathParam("tenant");
    return directory
        .findTenant(id)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no tenant '"
                        + Bodies.abbreviate(id)
                        + "': create it with POST /api/v1/admin/tenants"));
  }

  private Directory.Location location(Context ctx, Directory.Tenant tenant) {
    String id = ctx.pathParam("location");
    return directory
        .findLocation(id)
        .filter(l -> l.tenantId().equals(tenant.id()))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no location '"
                        + Bodies.abbreviate(id)
                        + "' in tenant '"
                        + tenant.id()
                        + "': create it with POST "
                        + "/api/v1/admin/tenants/"
                        + tenant.id()
                        + "/locations"));
  }

  private void createLocation(Context ctx) {
    Directory.Tenant tenant = tenant(ctx);
    ObjectNode body = bodies.object(ctx);
    String id = Bodies.requireMatching(body, "id", OpParser.ID, OpParser.ID_RULE);
    String name = Bodies.requireMatching(body, "name", NAME, "1-200 characters, not blank");
    if (!directory.createLocation(tenant.id(), id, name)) {
      throw ApiException.conflict(
          "location '" + id + "' exists already (location ids are unique across tenants)", "id");
    }
    Responses.json(ctx, 201, directory.findLocation(id).orElseThrow());
  }

  private void registerDevice(Context ctx) {
    Directory.Tenant tenant = tenant(ctx);
    Directory.Location location = location(ctx, tenant);
    ObjectNode body = bodies.object(ctx);
    String deviceId = Bodies.requireMatching(body, "device_id", OpParser.ID, OpParser.ID_RULE);
    String type = Bodies.requireText(body, "device_type");
    if (!DeviceType.ALL.contains(type)) {
      throw ApiException.invalidField(
          "device_type",
          "unknown device_type '"
              + Bodies.abbreviate(type)
              + "': expected one of "
              + DeviceType.ALL);
    }
    String token = tokens.newToken();
    String hash = DeviceTokens.sha256(token);
    // The device row and its _devices record commit together, so an edge that learns of the
    // device from its feed can always verify its token.
    store.push(
        new SyncStore.Writer(tenant.id(), location.id(), null, false),
        List.of(deviceRecord(deviceId, type, hash, false)),
        h -> {
          if (devices.register(h, tenant.id(), location.id(), deviceId, type, hash).isEmpty()) {
            throw ApiException.conflict(
                "device '"
                    + deviceId
                    + "' is registered already in tenant '"
                    + tenant.id()
                    + "': revoke it first (DELETE …/devices/"
                    + deviceId
                    + ") or pick another id",
                "device_id");
          }
        });
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("device_id", deviceId);
    answer.put("device_type", type);
    answer.put("tenant_id", tenant.id());
    answer.put("location_id", location.id());
    answer.put("token", token);
    Responses.json(ctx, 201, answer);
  }

  private void listDevices(Context ctx) {
    Directory.Tenant tenant = tenant(ctx);
    Directory.Location location = location(ctx, tenant);
    List<Map<String, Object>> list =
        devices.listByLocation(tenant.id(), location.id()).stream()
            .map(
                d -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("device_id", d.deviceId());
                  m.put("device_type", d.deviceType());
                  m.put("location_id", d.locationId());
                  m.put("revoked", d.revoked());
                  m.put("created_at", d.createdAt());
                  return m;
                })
            .toList();
    Responses.json(ctx, 200, Map.of("devices", list));
  }

  private void revokeDevice(Context ctx) {
    Directory.Tenant tenant = tenant(ctx);
    Directory.Location location = location(ctx, tenant);
    String deviceId = ctx.pathParam("device");
    DeviceRegistry.DeviceRow d =
        devices
            .find(tenant.id(), deviceId)
            .filter(row -> row.locationId().equals(location.id()))
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no device '" + Bodies.abbreviate(deviceId) + "' at " + location.id()));
    store.push(
        new SyncStore.Writer(tenant.id(), location.id(), null, false),
        List.of(deviceRecord(d.deviceId(), d.deviceType(), d.tokenSha256(), true)),
        h -> devices.revoke(h, tenant.id(), deviceId));
    auth.forget(d.tokenSha256());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("device_id", d.deviceId());
    answer.put("revoked", true);
    Responses.json(ctx, 200, answer);
  }

  private IncomingOp deviceRecord(String deviceId, String type, String hash, boolean revoked) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("device_id", deviceId);
    data.put("device_type", type);
    data.put("token_sha256", hash);
    data.put("revoked", revoked);
    Op op =
        new Op(
            UUID.randomUUID().toString(),
            DEVICES_COLLECTION,
            deviceId,
            OpAction.PUT,
            data,
            0,
            clock.now(),
            "cloud");
    return IncomingOp.cloudWrite(op, true);
  }

  private void replaceSyncConfig(Context ctx) {
    Directory.Tenant tenant = tenant(ctx);
    ObjectNode body = bodies.object(ctx);
    JsonNode doc = body.has("sync_config") ? body.get("sync_config") : body;
    if (!doc.isObject()) {
      throw ApiException.invalidField(
          "sync_config", "sync_config must be an object, was " + Bodies.kind(doc));
    }
    SyncConfig config = parseConfig((ObjectNode) doc);
    directory.replaceSyncConfig(tenant.id(), config);
    Responses.json(ctx, 200, Map.of("sync_config", config));
  }

  private SyncConfig parseConfig(ObjectNode doc) {
    for (String field :
        List.of("interval_seconds", "batch_size", "retry_attempts", "conflict_strategy")) {
      if (!doc.hasNonNull(field)) {
        throw ApiException.missingField(field);
      }
    }
    for (String field : List.of("interval_seconds", "batch_size", "retry_attempts")) {
      if (!doc.get(field).isIntegralNumber() || !doc.get(field).canConvertToInt()) {
        throw ApiException.invalidField(
            field, field + " must be an integer, was " + Bodies.kind(doc.get(field)));
      }
    }
    if (!doc.get("conflict_strategy").isTextual()) {
      throw ApiException.invalidField(
          "conflict_strategy",
          "conflict_strategy must be a string, was " + Bodies.kind(doc.get("conflict_strategy")));
    }
    JsonNode tables = doc.get("tables");
    if (tables != null && !tables.isNull() && !tables.isObject()) {
      throw ApiException.invalidField(
          "tables", "tables must be an object of collection policies, was " + Bodies.kind(tables));
    }
    SyncConfig config;
    try {
      config = Json.MAPPER.treeToValue(doc, SyncConfig.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      String message =
          cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
      throw ApiException.invalidField("sync_config", "invalid sync_config: " + message);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("sync_config", "invalid sync_config: " + e.getMessage());
    }
    checkResolver("conflict_strategy", config.conflictStrategy());
    for (Map.Entry<String, CollectionPolicy> e : config.tables().entrySet()) {
      checkResolver("tables." + e.getKey() + ".strategy", e.getValue().strategy());
    }
    return config;
  }

  private void checkResolver(String field, Strategy strategy) {
    if (strategy.kind() == Strategy.Kind.CUSTOM && !applier.knowsResolver(strategy.customName())) {
      throw ApiException.invalidField(
          field,
          "unknown strategy '"
              + strategy.wireName()
              + "': this cloud has no resolver named '"
              + strategy.customName()
              + "'; use one of "
              + ChangeApplier.builtInResolvers().keySet().stream().map(n -> "custom:" + n).toList()
              + " or a built-in strategy");
    }
  }

  private void listReviewQueue(Context ctx) {
    Directory.Tenant tenant = tenant(ctx);
    String status = ctx.queryParam("status");
    if (status == null || status.isEmpty()) {
      status = "pending";
    }
    if (!List.of("pending", "requeued", "discarded").contains(status)) {
      throw ApiException.invalidField(
          "status",
          "status must be pending, requeued or discarded, was '" + Bodies.abbreviate(status) + "'");
    }
    int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
    Responses.json(ctx, 200, Map.of("items", reviewQueue.list(tenant.id(), status, limit)));
  }

  private ReviewQueue.Item reviewItem(Context ctx, Directory.Tenant tenant) {
    String opId = ctx.pathParam("op_id");
    return reviewQueue
        .find(tenant.id(), opId)
        .filter(i -> "pending".equals(i.status()))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no op '"
                        + Bodies.abbreviate(opId)
                        + "' waiting in the review queue of "
                        + tenant.id()));
  }

  private void requeue(Context ctx) {
    Directory.Tenant tenant = tenant(ctx);
    ReviewQueue.Item item = reviewItem(ctx, tenant);
    OpResult result = reviewQueue.requeue(item, tenant.id());
    Responses.json(ctx, 200, Map.of("result", result));
  }

  private void discard(Context ctx) {
    Directory.Tenant tenant = tenant(ctx);
    ReviewQueue.Item item = reviewItem(ctx, tenant);
    reviewQueue.discard(tenant.id(), item.opId());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("op_id", item.opId());
    answer.put("status", "discarded");
    Responses.json(ctx, 200, answer);
  }

  private void listConflicts(Context ctx) {
    Directory.Tenant tenant = tenant(ctx);
    String location = ctx.queryParam("location_id");
    if (location != null && location.isEmpty()) {
      location = null;
    }
    long before = Bodies.longParam(ctx, "before", 0);
    int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
    Responses.json(
        ctx, 200, Map.of("conflicts", conflicts.list(tenant.id(), location, before, limit)));
  }
}
