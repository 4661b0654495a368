package dev.olympus.client;

import dev.olympus.client.internal.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A small server that speaks realtime.md, for the SDK's tests: {@code /ws/sync} (welcome, replay
 * from {@code since}, live changes with {@code prev_seq}, heartbeats, ping/pong, resume), the
 * records API with {@code Idempotency-Key}, and {@code /api/health}. Tokens are {@code
 * "token-<restaurant>"}. Hooks simulate lost frames, a silent connection and lost responses.
 */
final class RealtimeTestServer implements AutoCloseable {
  private static final Pattern COLLECTION = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final TestChangeLog log;
  private final String stream;
  private final String kind;
  private final long heartbeatMs;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger framesToLose = new AtomicInteger();
  private final AtomicInteger responsesToLose = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger notFoundAnswers = new AtomicInteger();
  private Javalin app;
  private int port;

  /** When set, the welcome names this upstream stream with a mark, as an edge's does. */
  volatile String upstream;

  /** The {@code since} of every resume frame received. */
  final List<Long> resumes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  RealtimeTestServer(TestChangeLog log, String stream, String kind, long heartbeatMs) {
    this.log = log;
    this.stream = stream;
    this.kind = kind;
    this.heartbeatMs = heartbeatMs;
  }

  RealtimeTestServer start(int wantedPort) {
    app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.concurrency.useVirtualThreads = true;
              cfg.routes.get("/api/health", ctx -> ctx.json(Map.of("status", "ok")));
              cfg.routes.put("/api/v1/records/{collection}/{id}", ctx -> write(ctx, "PUT"));
              cfg.routes.patch("/api/v1/records/{collection}/{id}", ctx -> write(ctx, "PATCH"));
              cfg.routes.delete("/api/v1/records/{collection}/{id}", ctx -> write(ctx, "DELETE"));
              cfg.routes.ws(
                  "/ws/sync",
                  ws -> {
                    ws.onConnect(this::onConnect);
                    ws.onMessage(ctx -> onMessage(ctx, ctx.message()));
                    ws.onClose(ctx -> stopSession(ctx));
                    ws.onError(ctx -> stopSession(ctx));
                  });
            });
    app.start("127.0.0.1", wantedPort);
    port = app.port();
    return this;
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** Writes answered 404 so far. */
  int notFoundAnswers() {
    return notFoundAnswers.get();
  }

  /** The next {@code n} change frames count as sent but never reach the client. */
  void loseNextFrames(int n) {
    framesToLose.set(n);
  }

  /** The next {@code n} writes are applied but answered 503, as if the answer was lost. */
  void loseNextResponses(int n) {
    responsesToLose.set(n);
  }

  /** Current connections stop sending anything (no heartbeats, no pongs, no changes). */
  void silenceConnections() {
    sessions.forEach(s -> s.silent = true);
  }

  void stop() {
    sessions.forEach(Session::stop);
    app.stop();
  }

  @Override
  public void close() {
    stop();
  }

  // ---- records API ----

  private void write(Context ctx, String method) throws IOException {
    String restaurant = restaurantOf(ctx.header("Authorization"));
    if (restaurant == null) {
      ctx.status(401).json(error("unauthorized", "no or unknown token"));
      return;
    }
    String collection = ctx.pathParam("collection");
    String id = ctx.pathParam("id");
    if (!COLLECTION.matcher(collection).matches()) {
      ctx.status(400).json(error("invalid_field", "bad collection " + collection));
      return;
    }
    String key = ctx.header("Idempotency-Key");
    TestChangeLog.StoredResponse answer;
    synchronized (log) {
      TestChangeLog.StoredResponse seen = key == null ? null : log.response(key);
      if (seen != null) {
        answer = seen;
      } else {
        answer = apply(method, restaurant, collection, id, ctx.body());
        // Like the real servers, only applied writes are remembered under their key: a 404 may
        // turn into a success once the record arrives.
        if (key != null && answer.status() < 400) {
          log.remember(key, answer);
        }
      }
    }
    if (answer.status() == 404) {
      notFoundAnswers.incrementAndGet();
    }
    if (responsesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      ctx.status(503).json(error("unavailable", "simulated lost answer"));
      return;
    }
    ctx.status(answer.status()).contentType("application/json").result(answer.body());
  }

  private TestChangeLog.StoredResponse apply(
      String method, String restaurant, String collection, String id, String body)
      throws IOException {
    TestChangeLog.Entry existing = log.current(collection, id);
    Map<String, Object> data;
    String action;
    int status = 200;
    switch (method) {
      case "PUT" -> {
        data = Json.readMap(body);
        action = existing == null ? "created" : "updated";
        status = existing == null ? 201 : 200;
      }
      case "PATCH" -> {
        if (existing == null) {
          return new TestChangeLog.StoredResponse(
              404, Json.write(error("not_found", collection + "/" + id + " does not exist")));
        }
        Map<String, Object> patch = Json.readMap(body);
        data = new LinkedHashMap<>(existing.data());
        data.putAll(patch);
        action = actionOf(collection, patch);
      }
      default -> {
        if (existing == null) {
          return new TestChangeLog.StoredResponse(
              404, Json.write(error("not_found", collection + "/" + id + " does not exist")));
        }
        data = Map.of();
        action = "deleted";
      }
    }
    TestChangeLog.Entry e =
        log.write(
            restaurant, collection, id, data, method.equals("DELETE"), "test-" + kind, action);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("collection", collection);
    record.put("id", id);
    record.put("data", data);
    record.put("version", e.version());
    record.put("deleted", e.deleted());
    return new TestChangeLog.StoredResponse(status, Json.write(record));
  }

  private static String actionOf(String collection, Map<String, Object> patch) {
    Object s = patch.get("status");
    if (collection.equals("tables") && s != null) {
      return String.valueOf(s);
    }
    if (collection.equals("orders") && s != null) {
      return "completed".equals(s) ? "completed" : "status_changed";
    }
    return "updated";
  }

  // ---- WebSocket ----

  private void onConnect(WsContext ctx) {
    ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(5));
    String restaurant = restaurantOf(ctx.header("Authorization"));
    String wanted = ctx.queryParam("restaurant_id");
    if (restaurant == null) {
      ctx.closeSession(4401, "no or unknown token");
      return;
    }
    if (ctx.queryParam("device_id") == null || wanted == null) {
      ctx.closeSession(4400, "device_id and restaurant_id are required");
      return;
    }
    if (!restaurant.equals(wanted)) {
      ctx.closeSession(4403, "the token does not belong to restaurant " + wanted);
      return;
    }
    String since = ctx.queryParam("since");
    connections.incrementAndGet();
    Session s = new Session(ctx, restaurant, since == null ? 0 : Long.parseLong(since));
    ctx.attribute("session", s);
    sessions.add(s);
    Map<String, Object> welcome = new LinkedHashMap<>();
    welcome.put("type", "welcome");
    welcome.put("server", kind);
    welcome.put("stream", stream);
    welcome.put("restaurant_id", restaurant);
    welcome.put("latest_seq", 0);
    welcome.put("heartbeat_seconds", heartbeatMs / 1000.0);
    if (upstream != null) {
      // This test log numbers one sequence for every server: the mark is its latest seq on both.
      long latest = log.latestSeq();
      welcome.put("upstream", Map.of("stream", upstream, "seq", latest, "through_seq", latest));
    }
    s.send(Json.write(welcome));
    Thread t = new Thread(s::run, "test-sender");
    t.setDaemon(true);
    t.start();
  }

  private void onMessage(WsContext ctx, String text) throws IOException {
    Session s = ctx.attribute("session");
    if (s == null || s.silent) {
      return;
    }
    Map<String, Object> f;
    try {
      f = Json.readMap(text);
    } catch (IOException e) {
      s.send(Json.write(error("invalid_json", "frames are JSON objects")));
      return;
    }
    switch (String.valueOf(f.get("type"))) {
      case "ping" -> s.send("{\"type\":\"pong\"}");
      case "pong" -> {}
      case "resume" -> {
        resumes.add(((Number) f.get("since")).longValue());
        s.resume(((Number) f.get("since")).longValue());
      }
      default ->
          s.send(Json.write(Map.of("type", "error", "error", "unknown_type", "message", "?")));
    }
  }

  private void stopSession(WsContext ctx) {
    Session s = ctx.attribute("session");
    if (s != null) {
      s.stop();
      sessions.remove(s);
    }
  }

  private static String restaurantOf(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer token-")) {
      return null;
    }
    return authorization.substring("Bearer token-".length());
  }

  private static Map<String, Object> error(String code, String message) {
    return Map.of("error", code, "message", message);
  }

  private String typeOf(String collection) {
    return DataType.of(null, collection).wireType();
  }

  /** One connection: a sender thread walks the log from its cursor, in seq order. */
  private final class Session {
    final WsContext ctx;
    final String restaurant;
    long cursor;
    volatile boolean running = true;
    volatile boolean silent;

    Session(WsContext ctx, String restaurant, long since) {
      this.ctx = ctx;
      this.restaurant = restaurant;
      this.cursor = since;
    }

    void run() {
      long nextHeartbeat = System.currentTimeMillis() + heartbeatMs;
      try {
        while (running) {
          long from;
          synchronized (this) {
            from = cursor;
          }
          long wait = Math.max(1, nextHeartbeat - System.currentTimeMillis());
          TestChangeLog.Entry e = log.awaitAfter(restaurant, from, wait);
          if (System.currentTimeMillis() >= nextHeartbeat) {
            nextHeartbeat = System.currentTimeMillis() + heartbeatMs;
            send("{\"type\":\"heartbeat\",\"ts\":\"" + Instant.now() + "\"}");
          }
          if (e == null) {
            continue;
          }
          synchronized (this) {
            if (cursor != from) {
              continue; // a resume moved the cursor meanwhile
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("type", typeOf(e.collection()));
            f.put("data_type", e.collection());
            f.put("action", e.action());
            f.put("seq", e.seq());
            f.put("prev_seq", cursor);
            f.put("collection", e.collection());
            f.put("id", e.id());
            f.put("data", e.data());
            f.put("version", e.version());
            f.put("deleted", e.deleted());
            f.put("origin", e.origin());
            cursor = e.seq();
            if (framesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              continue;
            }
            send(Json.write(f));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        running = false;
      }
    }

    synchronized void resume(long since) {
      cursor = since;
      log.wake();
    }

    synchronized void send(String text) {
      if (silent || !running) {
        return;
      }
      try {
        ctx.send(text);
      } catch (RuntimeException e) {
        running = false;
      }
    }

    void stop() {
      running = false;
      log.wake();
    }
  }
}
