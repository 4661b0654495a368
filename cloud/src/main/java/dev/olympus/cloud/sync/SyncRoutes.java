package dev.olympus.cloud.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.auth.Principal;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Responses;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.Priority;
import dev.olympus.core.sync.PushResponse;
import dev.olympus.core.sync.SyncConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The device-facing sync endpoints: push, pull, notifications, config, report, status, trigger. */
public final class SyncRoutes {
  public static final int MAX_OPS = SyncConfig.MAX_BATCH_SIZE;
  private static final int MAX_TIMEOUT_MS = 60_000;

  private final Authenticator auth;
  private final Bodies bodies;
  private final SyncStore store;
  private final Directory directory;
  private final SyncStatusStore status;
  private final ChangeNotifier notifier;

  public SyncRoutes(
      Authenticator auth,
      Bodies bodies,
      SyncStore store,
      Directory directory,
      SyncStatusStore status,
      ChangeNotifier notifier) {
    this.auth = auth;
    this.bodies = bodies;
    this.store = store;
    this.directory = directory;
    this.status = status;
    this.notifier = notifier;
  }

  public void register(RoutesConfig routes) {
    routes.post("/api/v1/sync/push", this::push);
    routes.get("/api/v1/sync/pull", this::pull);
    routes.get("/api/v1/sync/notifications", this::notifications);
    routes.get("/api/v1/sync/config", this::config);
    routes.post("/api/v1/sync/report", this::report);
    routes.get("/api/v1/sync/status/{location_id}", this::status);
    routes.post("/api/v1/sync/trigger", this::trigger);
  }

  private void push(Context ctx) {
    Principal.Device device = auth.requireDevice(ctx);
    if (!device.isEdge()) {
      throw ApiException.forbidden(
          "only an olympus_edge device pushes ops; a "
              + device.deviceType()
              + " writes through the records API");
    }
    byte[] bytes = bodies.bytes(ctx);
    List<IncomingOp> ops =
        OpParser.readPush(bytes, MAX_OPS).orElseGet(() -> readOpsCarefully(bodies.object(bytes)));
    status.touch(device.tenantId(), device.locationId());
    if (ops.isEmpty()) {
      Responses.json(ctx, 200, new PushResponse(List.of()));
      return;
    }
    SyncStore.PushOutcome outcome =
        store.push(
            new SyncStore.Writer(device.tenantId(), device.locationId(), device.deviceId(), true),
            ops);
    Responses.json(ctx, 200, new PushResponse(wireResults(outcome.results(), outcome.asWritten())));
  }

  /**
   * The results as sent: an op applied exactly as written, on the record its writer based it on,
   * leaves the record as the writer already holds it, so its {@code record} is left out. Any
   * conflict, merge or restamp keeps it: the writer must learn the canonical record.
   */
  static List<OpResult> wireResults(List<OpResult> results, Set<String> asWritten) {
    List<OpResult> wire = new ArrayList<>(results.size());
    for (OpResult r : results) {
      wire.add(
          r.outcome() == Outcome.APPLIED && asWritten.contains(r.opId()) ? r.withoutRecord() : r);
    }
    return wire;
  }

  /** The ops of a body the one-pass reader refused, or the 4xx that says what is wrong. */
  private static List<IncomingOp> readOpsCarefully(ObjectNode body) {
    JsonNode opsNode = body.get("ops");
    if (opsNode == null || opsNode.isNull()) {
      throw ApiException.missingField("ops");
    }
    if (!opsNode.isArray()) {
      throw ApiException.invalidField("ops", "ops must be an array, was " + Bodies.kind(opsNode));
    }
    if (opsNode.size() > MAX_OPS) {
      throw ApiException.invalidField(
          "ops",
          "a push carries at most " + MAX_OPS + " ops, this one " + opsNode.size() + ": split it");
    }
    List<IncomingOp> ops = new ArrayList<>(opsNode.size());
    for (int i = 0; i < opsNode.size(); i++) {
      ops.add(OpParser.parse(opsNode.get(i), i));
    }
    return ops;
  }

  private void pull(Context ctx) {
    Principal.Device device = auth.requireDevice(ctx);
    long since = Bodies.longParam(ctx, "since", 0);
    int limit = Bodies.intParam(ctx, "limit", 1000, 1, 10_000);
    SyncStore.OwnWrites own = ownWrites(ctx);
    status.touch(device.tenantId(), device.locationId());
    Responses.json(ctx, 200, store.pull(device.tenantId(), device.locationId(), since, limit, own));
  }

  /** {@code exclude_origin} and {@code exclude_seqs} (both or neither), e.g. {@code 5-9,12-12}. */
  static SyncStore.OwnWrites ownWrites(Context ctx) {
    String origin = ctx.queryParam("exclude_origin");
    String seqs = ctx.queryParam("exclude_seqs");
    boolean hasOrigin = origin != null && !origin.isEmpty();
    boolean hasSeqs = seqs != null && !seqs.isEmpty();
    if (!hasOrigin && !hasSeqs) {
      return null;
    }
    if (!hasOrigin) {
      throw ApiException.missingField("exclude_origin");
    }
    if (!hasSeqs) {
      throw ApiException.badRequest(
          "missing_field",
          "exclude_origin needs exclude_seqs: the seq ranges (from-to,...) your own pushes were"
              + " given, so that no other write of the same origin is skipped",
          "exclude_seqs");
    }
    String[] parts = seqs.split(",", -1);
    if (parts.length > SyncStore.OwnWrites.MAX_RANGES) {
      throw ApiException.invalidField(
          "exclude_seqs",
          "exclude_seqs holds at most "
              + SyncStore.OwnWrites.MAX_RANGES
              + " ranges, was "
              + parts.length
              + ": send the first ones only");
    }
    List<SyncStore.SeqRange> ranges = new ArrayList<>(parts.length);
    for (String part : parts) {
      int dash = part.indexOf('-');
      try {
        long from = Long.parseLong(dash < 0 ? part : part.substring(0, dash));
        long to = dash < 0 ? from : Long.parseLong(part.substring(dash + 1));
        ranges.add(new SyncStore.SeqRange(from, to));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidField(
            "exclude_seqs",
            "exclude_seqs must be ranges like 5-9,12-12 (from <= to, from >= 1), was '"
                + Bodies.abbreviate(part)
                + "'");
      }
    }
    return new SyncStore.OwnWrites(origin, ranges);
  }

  private void notifications(Context ctx) throws InterruptedException {
    Principal.Device device = auth.requireDevice(ctx);
    long afterSeq = Bodies.longParam(ctx, "after_seq", 0);
    int timeoutMs = Bodies.intParam(ctx, "timeout_ms", 25_000, 0, MAX_TIMEOUT_MS);
    String tenant = device.tenantId();
    String location = device.locationId();
    status.touch(tenant, location);
    CompletableFuture<ChangeNotifier.Signal> signal = notifier.register(tenant, location);
    try {
      var trigger = notifier.takeTrigger(location);
      long latest = store.latestSeq(tenant, location);
      if (trigger.isEmpty() && latest <= afterSeq && timeoutMs > 0) {
        try {
          ChangeNotifier.Signal s = signal.get(timeoutMs, TimeUnit.MILLISECONDS);
          if (s.trigger()) {
            trigger = notifier.takeTrigger(location).or(() -> java.util.Optional.of(s.priority()));
          }
        } catch (TimeoutException e) {
          // Nothing happened: answer with the same latest seq.
        } catch (ExecutionException e) {
          throw new IllegalStateException("a notifier future never fails", e);
        }
        latest = store.latestSeq(tenant, location);
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("latest_seq", latest);
      answer.put("trigger", trigger.isPresent());
      answer.put("priority", trigger.orElse(null));
      Responses.json(ctx, 200, answer);
    } finally {
      notifier.unregister(tenant, location, signal);
    }
  }

  private void config(Context ctx) {
    Principal.Device device = auth.requireDevice(ctx);
    Responses.json(ctx, 200, Map.of("sync_config", directory.syncConfig(device.tenantId())));
  }

  private void report(Context ctx) {
    Principal.Device device = auth.requireDevice(ctx);
    ObjectNode body = bodies.object(ctx);
    // Every field is optional (absent: 0), but a present one must be a non-negative integer.
    long failures = Bodies.nonNegativeLong(body, "consecutive_failures");
    var report =
        new SyncStatusStore.Report(
            Bodies.nonNegativeLong(body, "pending_count"),
            Bodies.nonNegativeLong(body, "oldest_pending_age_ms"),
            Bodies.nonNegativeLong(body, "last_cycle_ms"),
            (int) Math.min(Integer.MAX_VALUE, failures));
    status.report(device.tenantId(), device.locationId(), report);
    ctx.status(204);
  }

  private void status(Context ctx) {
    Principal principal = auth.authenticate(ctx);
    String locationId = ctx.pathParam("location_id");
    Directory.Location location =
        directory
            .findLocation(locationId)
            .filter(
                l ->
                    !(principal instanceof Principal.Device d) || d.tenantId().equals(l.tenantId()))
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no location '" + Bodies.abbreviate(locationId) + "': check the id"));
    if (principal instanceof Principal.Device d && !d.locationId().equals(locationId)) {
      throw ApiException.forbidden(
          "a device token reads only its own location's status (" + d.locationId() + ")");
    }
    Responses.json(ctx, 200, status.status(locationId, directory.syncConfig(location.tenantId())));
  }

  private void trigger(Context ctx) {
    auth.requireAdmin(ctx);
    ObjectNode body = bodies.object(ctx);
    String locationId = Bodies.requireText(body, "location_id");
    String priority = Bodies.optionalText(body, "priority").orElse("high");
    try {
      Priority.parse(priority);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("priority", e.getMessage());
    }
    Directory.Location location =
        directory
            .findLocation(locationId)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no location '" + Bodies.abbreviate(locationId) + "': check the id"));
    notifier.trigger(location.tenantId(), locationId, priority);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("location_id", locationId);
    answer.put("priority", priority);
    answer.put("triggered", true);
    Responses.json(ctx, 202, answer);
  }
}
