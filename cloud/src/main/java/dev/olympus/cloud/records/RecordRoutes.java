package dev.olympus.cloud.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.auth.Principal;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Responses;
import dev.olympus.cloud.sync.IncomingOp;
import dev.olympus.cloud.sync.OpParser;
import dev.olympus.cloud.sync.SyncStore;
import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.SyncConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The records API: devices read and write their location's records (and read enterprise-wide ones);
 * the admin writes enterprise-wide records under {@code /api/v1/admin/tenants/{tenant}}. A write
 * goes through the same {@code ChangeApplier} as a pushed op, with the node id {@code cloud}.
 */
public final class RecordRoutes {
  /** Where a caller reads and writes: its tenant and location (null: enterprise-wide). */
  private record Scope(String tenantId, String locationId, String deviceId) {}

  static final String NODE_ID = "cloud";
  private static final String ADMIN_PREFIX = "/api/v1/admin/tenants/{tenant}/records";

  private final Authenticator auth;
  private final Bodies bodies;
  private final SyncStore store;
  private final Directory directory;
  private final HybridLogicalClock clock;

  public RecordRoutes(
      Authenticator auth,
      Bodies bodies,
      SyncStore store,
      Directory directory,
      HybridLogicalClock clock) {
    this.auth = auth;
    this.bodies = bodies;
    this.store = store;
    this.directory = directory;
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.put(
        "/api/v1/records/{collection}/{id}", ctx -> write(ctx, deviceScope(ctx), OpAction.PUT));
    routes.patch(
        "/api/v1/records/{collection}/{id}", ctx -> write(ctx, deviceScope(ctx), OpAction.PATCH));
    routes.delete(
        "/api/v1/records/{collection}/{id}", ctx -> write(ctx, deviceScope(ctx), OpAction.DELETE));
    routes.get("/api/v1/records/{collection}/{id}", ctx -> get(ctx, deviceScope(ctx)));
    routes.get("/api/v1/records/{collection}", ctx -> list(ctx, deviceScope(ctx)));
    routes.put(
        ADMIN_PREFIX + "/{collection}/{id}", ctx -> write(ctx, adminScope(ctx), OpAction.PUT));
    routes.patch(
        ADMIN_PREFIX + "/{collection}/{id}", ctx -> write(ctx, adminScope(ctx), OpAction.PATCH));
    routes.delete(
        ADMIN_PREFIX + "/{collection}/{id}", ctx -> write(ctx, adminScope(ctx), OpAction.DELETE));
    routes.get(ADMIN_PREFIX + "/{collection}/{id}", ctx -> get(ctx, adminScope(ctx)));
    routes.get(ADMIN_PREFIX + "/{collection}", ctx -> list(ctx, adminScope(ctx)));
  }

  private Scope deviceScope(Context ctx) {
    Principal.Device d = auth.requireDevice(ctx);
    return new Scope(d.tenantId(), d.locationId(), d.deviceId());
  }

  private Scope adminScope(Context ctx) {
    auth.requireAdmin(ctx);
    String tenant = ctx.pathParam("tenant");
    if (directory.findTenant(tenant).isEmpty()) {
      throw ApiException.notFound("no tenant '" + Bodies.abbreviate(tenant) + "'");
    }
    return new Scope(tenant, null, null);
  }

  private void write(Context ctx, Scope scope, OpAction action) {
    String collection = collection(ctx);
    String id = recordId(ctx);
    Map<String, Object> data = Map.of();
    if (action != OpAction.DELETE) {
      ObjectNode body = bodies.object(ctx);
      data = OpParser.toMap(body);
    }
    Optional<Long> ifMatch = ifMatch(ctx);
    Optional<String> key = idempotencyKey(ctx);
    Op op =
        new Op(
            key.orElseGet(() -> UUID.randomUUID().toString()),
            collection,
            id,
            action,
            data,
            ifMatch.orElse(0L),
            clock.now(),
            NODE_ID);
    // Without a key, a patch or delete of a missing record is refused where it is applied (no
    // read before the write). With a key, a retry of a delete or patch that went through must reach
    // the op log's dedup first: the store answers not_found itself when the record really is
    // missing.
    boolean mustExist = key.isEmpty() && action != OpAction.PUT;
    SyncStore.Written written =
        store.pushOne(
            new SyncStore.Writer(scope.tenantId(), scope.locationId(), scope.deviceId(), false),
            IncomingOp.cloudWrite(op, ifMatch.isEmpty(), mustExist));
    OpResult result = written.result();
    if (result.outcome() == Outcome.REJECTED) {
      throw rejection(result.error(), collection, id);
    }
    if (result.outcome() == Outcome.DUPLICATE) {
      respondDuplicate(ctx, scope, key.orElseThrow(), collection, id, result);
      return;
    }
    respondRecord(ctx, action == OpAction.PUT && written.created() ? 201 : 200, result.record());
  }

  private void get(Context ctx, Scope scope) {
    String collection = collection(ctx);
    String id = recordId(ctx);
    SyncStore.StoredRecord r =
        store
            .find(scope.tenantId(), collection, id)
            .filter(s -> !s.state().deleted())
            .filter(s -> visible(scope, s))
            .orElseThrow(() -> notFound(collection, id));
    respondRecord(ctx, 200, r.state());
  }

  private void list(Context ctx, Scope scope) {
    String collection = collection(ctx);
    int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
    String after = ctx.queryParam("after");
    if (after != null && !after.isEmpty()) {
      Bodies.checkMatches("after", after, OpParser.ID, OpParser.ID_RULE);
    }
    List<SyncStore.StoredRecord> page =
        store.list(scope.tenantId(), scope.locationId(), collection, after, limit);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("records", page.stream().map(r -> wire(r.state())).toList());
    answer.put("next_after", page.size() == limit ? page.get(page.size() - 1).state().id() : null);
    Responses.json(ctx, 200, answer);
  }

  /** A device sees its own location's and enterprise-wide records; the admin sees them all. */
  private static boolean visible(Scope scope, SyncStore.StoredRecord r) {
    return scope.locationId() == null
        || r.locationId() == null
        || r.locationId().equals(scope.locationId());
  }

  private static String collection(Context ctx) {
    String c = ctx.pathParam("collection");
    Bodies.checkMatches("collection", c, SyncConfig.COLLECTION_NAME, OpParser.COLLECTION_RULE);
    return c;
  }

  private static String recordId(Context ctx) {
    String id = ctx.pathParam("id");
    Bodies.checkMatches("id", id, OpParser.ID, OpParser.ID_RULE);
    return id;
  }

  /** The {@code Idempotency-Key} header: the write's op id, so a retry is applied once. */
  private static Optional<String> idempotencyKey(Context ctx) {
    String raw = ctx.header("Idempotency-Key");
    if (raw == null) {
      return Optional.empty();
    }
    if (!OpParser.ID.matcher(raw).matches()) {
      throw ApiException.invalidField(
          "Idempotency-Key",
          "the Idempotency-Key header must be an op id: "
              + OpParser.ID_RULE
              + " (a UUIDv7 fits), was '"
              + Bodies.abbreviate(raw)
              + "'");
    }
    return Optional.of(raw);
  }

  private static Optional<Long> ifMatch(Context ctx) {
    String raw = ctx.header("If-Match");
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    String v = raw.strip();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      long version = Long.parseLong(v);
      if (version < 0) {
        throw new NumberFormatException();
      }
      return Optional.of(version);
    } catch (NumberFormatException e) {
      throw ApiException.invalidField(
          "If-Match",
          "If-Match must be a record version (a non-negative integer from the ETag), was '"
              + Bodies.abbreviate(raw)
              + "'");
    }
  }

  /**
   * A write whose {@code Idempotency-Key} was already applied (through this API or an edge's push
   * of the same op id): answered with the record as it is now, never applied again.
   */
  private void respondDuplicate(
      Context ctx, Scope scope, String key, String collection, String id, OpResult result) {
    RecordState current = result.record();
    Optional<SyncStore.StoredRecord> stored =
        current == null ? Optional.empty() : store.find(scope.tenantId(), collection, id);
    if (current == null
        || !current.collection().equals(collection)
        || !current.id().equals(id)
        || stored.isEmpty()
        || !visible(scope, stored.get())) {
      throw new ApiException(
          409,
          "idempotency_key_reused",
          "Idempotency-Key '"
              + key
              + "' was already used for another write: send a new key (a UUIDv7) for each write",
          "Idempotency-Key");
    }
    ctx.header("Idempotent-Replayed", "true");
    respondRecord(ctx, 200, current);
  }

  private static ApiException rejection(ApiError error, String collection, String id) {
    return switch (error.code()) {
      case "forbidden" -> new ApiException(403, error);
      case "not_found", "record_deleted" -> notFound(collection, id);
      case "append_only" -> new ApiException(409, error);
      case "empty_patch" -> new ApiException(400, "invalid_field", error.message(), "data");
      default -> new ApiException(409, error);
    };
  }

  private static ApiException notFound(String collection, String id) {
    return ApiException.notFound(collection + "/" + id + " does not exist");
  }

  private static void respondRecord(Context ctx, int status, RecordState state) {
    ctx.header("ETag", Long.toString(state.version()));
    Responses.json(ctx, status, wire(state));
  }

  /** A record on the wire: collection, id, data, version, deleted. */
  static Map<String, Object> wire(RecordState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("collection", s.collection());
    m.put("id", s.id());
    m.put("data", s.data());
    m.put("version", s.version());
    m.put("deleted", s.deleted());
    return m;
  }
}
