package dev.olympus.edge.pos;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.orders.OrderRefusal;
import dev.olympus.core.orders.OrderRuleException;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.auth.PinAuthenticator;
import dev.olympus.edge.config.ConfigStatus;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.store.DeviceDirectory;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.store.LanChange;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import dev.olympus.edge.store.WriteRefusedException;
import dev.olympus.edge.syncer.QueueStatus;
import dev.olympus.web.http.GracefulStop;
import dev.olympus.web.realtime.LocationKey;
import dev.olympus.web.realtime.SyncSocketHub;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's LAN API for its terminals (protocol.md, "Records"): the records API, applied locally
 * at once and queued for the cloud ({@code Idempotency-Key} makes a write apply once), the edge's
 * own change stream ({@code /api/v1/sync/pull}), employee PIN login against the synced config
 * ({@code /api/v1/auth/pin}), plus health, metrics, the sync queue's status and trigger and the
 * config cache's status, and the restaurant's operations (menu, orders, payments, tables, time
 * clock, stock, reports: {@link LanRoutes}, one per feature, registered behind the same token
 * check). Tokens are checked against the location's devices held locally, so terminals keep working
 * while the internet is down.
 */
public final class LanApi {
  private static final Logger log = LoggerFactory.getLogger(LanApi.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final int PULL_DEFAULT_LIMIT = 1_000;
  private static final int PULL_MAX_LIMIT = 10_000;

  /** The header that makes a write idempotent: its value is the write's op id. */
  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  /** Set on the answer to a write whose key was seen before (nothing was written again). */
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private final RecordStore records;
  private final DeviceDirectory devices;
  private final byte[] apiKey;
  private final Supplier<QueueStatus> status;
  private final Outbox outbox;
  private final Runnable trigger;
  private final BooleanSupplier online;
  private final EdgeMetrics metrics;
  private final long maxBodyBytes;
  private final SyncSocketHub hub;
  private final LocationKey location;
  private final Clock clock;
  private final PinAuthenticator pins;
  private final Supplier<ConfigStatus> configStatus;
  private final List<LanRoutes> features;

  /**
   * @param apiKey the edge's own token, also accepted on the LAN (tools, the demo)
   * @param status the sync queue panel's data
   * @param outbox the ops the cloud sent to review are listed from its dead letters
   * @param trigger asks the syncer for a cycle now
   * @param hub the LAN's {@code /ws/sync}, registered on the same port
   * @param location the location this edge serves
   * @param pins employee PIN login against the synced config
   * @param configStatus the config cache's version and sync status
   * @param features the restaurant's operations (menu, orders, payments, …), each registering its
   *     routes under {@code /api/v1}, behind the same token check
   */
  public LanApi(
      RecordStore records,
      DeviceDirectory devices,
      String apiKey,
      Supplier<QueueStatus> status,
      Outbox outbox,
      Runnable trigger,
      BooleanSupplier online,
      EdgeMetrics metrics,
      long maxBodyBytes,
      SyncSocketHub hub,
      LocationKey location,
      Clock clock,
      PinAuthenticator pins,
      Supplier<ConfigStatus> configStatus,
      List<LanRoutes> features) {
    this.records = records;
    this.devices = devices;
    this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
    this.status = status;
    this.outbox = outbox;
    this.trigger = trigger;
    this.online = online;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.hub = hub;
    this.location = location;
    this.clock = clock;
    this.pins = pins;
    this.configStatus = configStatus;
    this.features = List.copyOf(features);
  }

  /**
   * Starts the server on {@code host:port} (port 0: any free port); {@code graceful} counts its
   * requests, so a stop can let those in flight finish.
   */
  public Javalin start(String host, int port, GracefulStop graceful) {
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.concurrency.useVirtualThreads = true;
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              graceful.install(cfg);
              cfg.http.maxRequestSize = maxBodyBytes;
              cfg.jsonMapper(new JavalinJackson(Json.MAPPER, true));
              hub.register(cfg);
              cfg.routes.get("/api/health", this::health);
              cfg.routes.before("/api/restaurants/*", this::authenticate);
              cfg.routes.get("/api/restaurants/{id}/status", this::restaurantStatus);
              cfg.routes.get("/metrics", this::metrics);
              cfg.routes.before("/api/v1/*", this::authenticate);
              cfg.routes.get("/api/v1/sync/status", ctx -> ctx.json(status.get()));
              cfg.routes.post("/api/v1/sync/trigger", this::trigger);
              cfg.routes.get("/api/v1/sync/review", this::review);
              cfg.routes.get("/api/v1/sync/pull", this::pull);
              cfg.routes.post("/api/v1/auth/pin", this::pinLogin);
              cfg.routes.get("/api/v1/config/status", ctx -> ctx.json(configStatus.get()));
              cfg.routes.get("/api/v1/records/{collection}", this::list);
              cfg.routes.get("/api/v1/records/{collection}/{id}", this::get);
              cfg.routes.put("/api/v1/records/{collection}/{id}", this::put);
              cfg.routes.patch("/api/v1/records/{collection}/{id}", this::patch);
              cfg.routes.delete("/api/v1/records/{collection}/{id}", this::delete);
              features.forEach(f -> f.register(cfg.routes));
              cfg.routes.exception(
                  ApiException.class,
                  (e, ctx) -> {
                    if (e.isReplayed()) {
                      ctx.header(REPLAYED_HEADER, "true");
                    }
                    ctx.status(e.status()).json(e.error());
                  });
              cfg.routes.exception(
                  WriteRefusedException.class, (e, ctx) -> ctx.status(e.status()).json(e.error()));
              cfg.routes.exception(
                  OrderRuleException.class,
                  (e, ctx) -> {
                    // The lifecycle's refusals: the order is not in a state that allows this.
                    OrderRefusal r = e.refusal();
                    int s = "privilege_required".equals(r.code()) ? 403 : 409;
                    ctx.status(s).json(new ApiError(r.code(), r.message(), "status"));
                  });
              cfg.routes.exception(HttpResponseException.class, LanApi::httpError);
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    log.error("{} {} failed", ctx.method(), ctx.path(), e);
                    ctx.status(500)
                        .json(
                            ApiError.of(
                                "internal",
                                "the edge failed on this request (a bug): see the edge's log"));
                  });
              cfg.routes.error(
                  404,
                  ctx -> {
                    if (ctx.result() == null || ctx.result().isEmpty()) {
                      ctx.json(
                          ApiError.of(
                              "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path()));
                    }
                  });
            });
    app.start(host, port);
    return app;
  }

  private static void httpError(HttpResponseException e, Context ctx) {
    int s = e.getStatus();
    String code =
        switch (s) {
          case 413 -> "body_too_large";
          case 404 -> "not_found";
          case 401 -> "unauthorized";
          case 400 -> "invalid_request";
          default -> s >= 500 ? "internal" : "error";
        };
    String message = e.getMessage() == null || e.getMessage().isBlank() ? code : e.getMessage();
    ctx.status(s).json(ApiError.of(code, message));
  }

  private void health(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("timestamp", clock.instant().toString());
    body.put("online", online.getAsBoolean());
    body.put("connectedRestaurants", hub.connectedRestaurants());
    body.put("totalConnections", hub.totalConnections());
    ctx.json(body);
  }

  /** The restaurant's live connections and last change (seed 002), for a device of it. */
  private void restaurantStatus(Context ctx) {
    String id = ctx.pathParam("id");
    if (!id.equals(location.locationId())) {
      throw new ApiException(
          403,
          "forbidden",
          "this edge serves restaurant "
              + location.locationId()
              + ", not '"
              + (id.length() > 64 ? id.substring(0, 64) + "…" : id)
              + "': ask that restaurant's edge or the cloud",
          "id");
    }
    ctx.json(hub.status(location));
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  /**
   * {@code GET /api/v1/sync/review?limit=N}: the ops the cloud rejected {@code retry_attempts}
   * times and moved to its review queue, most recent first. They left the outbox, so nothing waits
   * behind them; a person requeues or discards them in the cloud (decision 001).
   */
  private void review(Context ctx) {
    int limit = REVIEW_DEFAULT_LIMIT;
    String limitParam = ctx.queryParam("limit");
    if (limitParam != null && !limitParam.isEmpty()) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > REVIEW_MAX_LIMIT) {
        throw new ApiException(
            400,
            "invalid_field",
            "limit must be a whole number from 1 to "
                + REVIEW_MAX_LIMIT
                + ", was '"
                + limitParam
                + "'",
            "limit");
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", outbox.snapshot().deadLetters());
    body.put("ops", outbox.inReview(limit));
    ctx.json(body);
  }

  private static final int REVIEW_DEFAULT_LIMIT = 100;
  private static final int REVIEW_MAX_LIMIT = 1_000;

  private void trigger(Context ctx) {
    trigger.run();
    ctx.status(202).json(Map.of("triggered", true));
  }

  private void authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(
          401,
          "unauthorized",
          "missing token: send Authorization: Bearer <device token>",
          "Authorization");
    }
    String token = header.substring(7).trim();
    if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), apiKey)) {
      return;
    }
    if (devices.findByToken(token).isEmpty()) {
      throw new ApiException(
          401,
          "unauthorized",
          "unknown or revoked token: register the device with the cloud, and let the edge sync"
              + " once so it learns the device",
          "Authorization");
    }
  }

  /**
   * {@code POST /api/v1/auth/pin {"employee_id","pin"}}: signs an employee in on a terminal,
   * offline too. Every refusal (wrong PIN, unknown or terminated employee) is the same 401.
   */
  private void pinLogin(Context ctx) {
    JsonNode body =
        bodyNode(
            ctx,
            "{\"employee_id\": \"…\", \"pin\": \"…\"}",
            MAX_PIN_BODY_BYTES,
            "send only employee_id and pin");
    String employeeId = textField(body, "employee_id", 128, "the employee's id");
    String pin = textField(body, "pin", MAX_PIN_LENGTH, "the PIN the employee typed");
    PinAuthenticator.Result result = pins.authenticate(employeeId, pin);
    switch (result) {
      case PinAuthenticator.Accepted a -> ctx.json(a.employee());
      case PinAuthenticator.Refused r ->
          throw new ApiException(
              401,
              "invalid_credentials",
              "employee id or PIN is wrong, or the employee may not sign in",
              "pin");
      case PinAuthenticator.Throttled t -> {
        long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
        ctx.header("Retry-After", Long.toString(seconds));
        throw new ApiException(
            429,
            "too_many_attempts",
            "too many PIN attempts for this employee: try again in " + seconds + " s",
            "employee_id");
      }
      case PinAuthenticator.Busy b -> {
        ctx.header("Retry-After", "1");
        throw new ApiException(
            503, "busy", "the edge is checking many PINs at once: try again in a moment", null);
      }
    }
  }

  private static final int MAX_PIN_LENGTH = 32;

  /** A PIN login is two short strings: anything much larger is not one. */
  private static final long MAX_PIN_BODY_BYTES = 4_096;

  private static String textField(JsonNode body, String name, int maxLength, String what) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      throw new ApiException(
          400, "missing_field", name + " is required: " + what + " as a string", name);
    }
    if (!v.isTextual()) {
      throw new ApiException(
          400,
          "invalid_field",
          name
              + " must be a string ("
              + what
              + "), was "
              + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT),
          name);
    }
    String s = v.asText();
    if (s.isEmpty() || s.length() > maxLength) {
      throw new ApiException(
          400,
          "invalid_field",
          name + " must be 1 to " + maxLength + " characters, was " + s.length(),
          name);
    }
    return s;
  }

  private void get(Context ctx) {
    String collection = collection(ctx);
    String id = id(ctx);
    LocalRecord r =
        records
            .find(collection, id)
            .filter(rec -> !rec.deleted())
            .orElseThrow(
                () ->
                    new ApiException(
                        404, "not_found", collection + "/" + id + " does not exist", "id"));
    respond(ctx, 200, r);
  }

  private void list(Context ctx) {
    String collection = collection(ctx);
    int limit = 100;
    String limitParam = ctx.queryParam("limit");
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 1000) {
        throw new ApiException(
            400,
            "invalid_field",
            "limit must be a whole number from 1 to 1000, was '" + limitParam + "'",
            "limit");
      }
    }
    String after = ctx.queryParam("after");
    if (after != null && !ID.matcher(after).matches()) {
      throw new ApiException(
          400, "invalid_field", "after must be a record id, was '" + after + "'", "after");
    }
    List<LocalRecord> page = records.list(collection, after, limit + 1);
    boolean more = page.size() > limit;
    List<LocalRecord> shown = more ? page.subList(0, limit) : page;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("records", shown);
    body.put("next_after", more ? shown.get(shown.size() - 1).id() : null);
    ctx.json(body);
  }

  /**
   * The edge's own change stream for its terminals (protocol.md, "On the edge"): the latest state
   * of every record changed after {@code since}, by {@code lan_seq}, in the cloud's pull shape.
   */
  private void pull(Context ctx) {
    long since = longParam(ctx, "since");
    int limit = PULL_DEFAULT_LIMIT;
    String limitParam = ctx.queryParam("limit");
    if (limitParam != null && !limitParam.isEmpty()) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > PULL_MAX_LIMIT) {
        throw new ApiException(
            400,
            "invalid_field",
            "limit must be a whole number from 1 to "
                + PULL_MAX_LIMIT
                + ", was '"
                + limitParam
                + "'",
            "limit");
      }
    }
    List<LanChange> page = records.changesSince(since, limit + 1);
    boolean more = page.size() > limit;
    List<LanChange> shown = more ? page.subList(0, limit) : page;
    List<Change> changes = new ArrayList<>(shown.size());
    for (LanChange c : shown) {
      changes.add(c.toChange());
    }
    long next = shown.isEmpty() ? since : shown.get(shown.size() - 1).seq();
    ctx.json(new PullResponse(changes, more, next));
  }

  private static long longParam(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isEmpty()) {
      return 0;
    }
    long v;
    try {
      v = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      v = -1;
    }
    if (v < 0) {
      throw new ApiException(
          400,
          "invalid_field",
          name + " must be a seq of this edge's stream (a whole number from 0), was '" + raw + "'",
          name);
    }
    return v;
  }

  private void put(Context ctx) {
    String collection = collection(ctx);
    String id = id(ctx);
    String key = idempotencyKey(ctx);
    RecordStore.WriteResult w = records.put(collection, id, bodyObject(ctx), ifMatch(ctx), key);
    respond(ctx, w.created() ? 201 : 200, w);
  }

  private void patch(Context ctx) {
    String collection = collection(ctx);
    String id = id(ctx);
    String key = idempotencyKey(ctx);
    RecordStore.WriteResult w = records.patch(collection, id, bodyObject(ctx), ifMatch(ctx), key);
    respond(ctx, 200, w);
  }

  private void delete(Context ctx) {
    String collection = collection(ctx);
    String id = id(ctx);
    String key = idempotencyKey(ctx);
    RecordStore.WriteResult w = records.delete(collection, id, ifMatch(ctx), key);
    respond(ctx, 200, w);
  }

  private static void respond(Context ctx, int status, RecordStore.WriteResult w) {
    if (w.repeated()) {
      ctx.header(REPLAYED_HEADER, "true");
    }
    respond(ctx, status, w.record());
  }

  private static void respond(Context ctx, int status, LocalRecord r) {
    ctx.header("ETag", "\"" + r.version() + "\"").status(status).json(r);
  }

  /** The write's op id from the {@code Idempotency-Key} header; null when there is none. */
  private static String idempotencyKey(Context ctx) {
    String key = ctx.header(IDEMPOTENCY_HEADER);
    if (key == null) {
      return null;
    }
    if (!ID.matcher(key).matches()) {
      throw new ApiException(
          400,
          "invalid_field",
          IDEMPOTENCY_HEADER
              + " '"
              + (key.length() > 140 ? key.substring(0, 140) + "…" : key)
              + "' is not valid: use 1-128 characters of letters, digits and . _ : - (the"
              + " write's op id, a UUIDv7 recommended)",
          IDEMPOTENCY_HEADER);
    }
    return key;
  }

  private static String collection(Context ctx) {
    String c = ctx.pathParam("collection");
    if (c.startsWith("_")) {
      throw new ApiException(
          400,
          "invalid_field",
          "collection '" + c + "' is reserved (names starting with _ belong to the platform)",
          "collection");
    }
    if (!SyncConfig.COLLECTION_NAME.matcher(c).matches()) {
      throw new ApiException(
          400,
          "invalid_field",
          "collection '"
              + c
              + "' is not a valid name: use 1-63 lower-case letters, digits and underscores,"
              + " starting with a letter",
          "collection");
    }
    return c;
  }

  private static String id(Context ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      throw new ApiException(
          400,
          "invalid_field",
          "id '"
              + id
              + "' is not valid: use 1-128 characters of letters, digits and . _ : - (UUIDv7"
              + " recommended)",
          "id");
    }
    return id;
  }

  private static OptionalLong ifMatch(Context ctx) {
    String v = ctx.header("If-Match");
    if (v == null || v.isBlank()) {
      return OptionalLong.empty();
    }
    String s = v.trim();
    if (s.startsWith("W/")) {
      s = s.substring(2);
    }
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    try {
      return OptionalLong.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      throw new ApiException(
          400,
          "invalid_field",
          "If-Match must be a record version (a number from the ETag), was '" + v + "'",
          "If-Match");
    }
  }

  private Map<String, Object> bodyObject(Context ctx) {
    return Json.MAPPER.convertValue(
        bodyNode(ctx, null, maxBodyBytes, "split the record or raise --max-body-bytes"), MAP);
  }

  /** The body as a JSON object of at most {@code limit} bytes ({@link RequestBody#object}). */
  private static JsonNode bodyNode(Context ctx, String shape, long limit, String fix) {
    return RequestBody.object(ctx, shape, limit, fix);
  }
}
