package dev.olympus.web.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsBinaryMessageContext;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsErrorContext;
import io.javalin.websocket.WsMessageContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time endpoint {@code /ws/sync} (docs/realtime.md), shared by the cloud and the edge.
 *
 * <p>Devices connect with a token and {@code device_id}, {@code restaurant_id}, {@code user_id},
 * {@code since} query parameters; the tier's {@link SocketAuthenticator} decides who they are.
 * Connections are pooled per location ({@link LocationKey}). Each pool has one reader that reads
 * each new change from the tier's {@link ChangeSource} once, names it with {@code ChangeKind}, and
 * fans it out; each connection has its own cursor, so a replay from {@code since}, a {@code
 * resume}, or a slow client catches up from the source on its own, in seq order and without gaps,
 * while up-to-date connections are served from memory.
 *
 * <p>Use:
 *
 * <pre>{@code
 * SyncSocketHub hub = SyncSocketHub.builder("edge", source, authenticator)
 *     .heartbeat(Duration.ofSeconds(30))
 *     .meterRegistry(registry)
 *     .build();
 * Javalin app = Javalin.create(cfg -> { hub.register(cfg); ... }).start();
 * // after every commit (outside the transaction):
 * hub.committed(tenantId, Set.of(locationId));       // a null location: enterprise-wide
 * hub.trigger(new LocationKey(t, l), "olympus_edge", "high");
 * // health: hub.connectedRestaurants(), hub.totalConnections(); status: hub.status(key)
 * hub.close();   // before app.stop()
 * }</pre>
 *
 * <p>The hub only tells sooner what a pull would return: a lost {@link #committed} costs at most
 * one heartbeat (every heartbeat also re-reads every pool), never data.
 *
 * <p>Frames from clients are limited to {@link #MAX_FRAME_BYTES} (larger: close 1009), which {@link
 * #register} sets on the app's WebSocket factory, so for every WebSocket of the app.
 */
public final class SyncSocketHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncSocketHub.class);

  /** The endpoint's path. */
  public static final String PATH = "/ws/sync";

  /** The largest frame a client may send. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  /** Changes read from the source at a time. */
  static final int READ_BATCH = 500;

  /** Change frames a connection may have waiting in Jetty's queue. */
  static final int MAX_IN_FLIGHT = 256;

  /** Malformed frames in a row after which a connection is closed. */
  static final int MAX_CONSECUTIVE_ERRORS = 20;

  private static final String ATTR = "olympus.sync.connection";

  private final String server;
  private final ChangeSource source;
  private final SocketAuthenticator authenticator;
  private final Duration heartbeat;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private final int recentFrames;
  private final int knownRecords;
  private final Set<String> reservedFor;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<LocationKey, LocationPool> pools = new ConcurrentHashMap<>();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private final Counter framesSent;
  private final MeterRegistry registry;
  private final ScheduledFuture<?> ticker;
  private volatile boolean closed;

  private SyncSocketHub(Builder b) {
    this.server = b.server;
    this.source = b.source;
    this.authenticator = b.authenticator;
    this.heartbeat = b.heartbeat;
    this.clock = b.clock;
    this.recentFrames = b.recentFrames;
    this.knownRecords = b.knownRecords;
    this.reservedFor = b.reservedFor;
    this.registry = b.registry;
    this.ownScheduler = b.scheduler == null;
    this.scheduler =
        b.scheduler != null
            ? b.scheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "olympus-ws-heartbeat");
                  t.setDaemon(true);
                  return t;
                });
    Gauge.builder("olympus_ws_connections", connectionCount, AtomicInteger::get)
        .description("open /ws/sync connections")
        .register(registry);
    this.framesSent =
        Counter.builder("olympus_ws_frames_sent")
            .description("frames sent on /ws/sync")
            .register(registry);
    long hbNanos = heartbeat.toNanos();
    this.ticker =
        scheduler.scheduleAtFixedRate(this::heartbeatTick, hbNanos, hbNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A hub builder.
   *
   * @param server {@code "edge"} or {@code "cloud"}, as the welcome frame tells it
   * @param source the tier's change feed
   * @param authenticator the tier's token check
   */
  public static Builder builder(
      String server, ChangeSource source, SocketAuthenticator authenticator) {
    return new Builder(server, source, authenticator);
  }

  /**
   * Registers {@link #PATH} on the app, limits client frames to {@link #MAX_FRAME_BYTES} and turns
   * off per-message compression.
   *
   * <p>Clients such as OkHttp offer {@code permessage-deflate} by default. A change frame is a few
   * hundred bytes of JSON, so compressing it saves little, while each compressed connection keeps
   * its own zlib state (about 300 KB outside the heap for the deflater and inflater) and every
   * frame of a broadcast is compressed once per device.
   */
  public void register(JavalinConfig config) {
    AtomicReference<ServletContextHandler> context = new AtomicReference<>();
    config.jetty.modifyServletContextHandler(context::set);
    config.jetty.modifyWebSocketServletFactory(
        f -> {
          f.setMaxTextMessageSize(MAX_FRAME_BYTES);
          f.setMaxBinaryMessageSize(MAX_FRAME_BYTES);
          WebSocketServerComponents.getWebSocketComponents(context.get())
              .getExtensionRegistry()
              .unregister("permessage-deflate");
        });
    config.routes.ws(
        PATH,
        ws -> {
          ws.onConnect(this::onConnect);
          ws.onMessage(this::onMessage);
          ws.onBinaryMessage(this::onBinaryMessage);
          ws.onClose(this::onClose);
          ws.onError(this::onError);
        });
  }

  // ---- what the tier calls ----

  /**
   * Changes were committed for these locations of the tenant (a null element: an enterprise-wide
   * change, which concerns every location). Cheap and non-blocking: call it after every commit.
   */
  public void committed(String tenantId, Collection<String> locations) {
    boolean enterpriseWide = false;
    for (String l : locations) {
      enterpriseWide |= l == null;
    }
    if (enterpriseWide) {
      pools.values().stream().filter(p -> p.key.tenantId().equals(tenantId)).forEach(this::pump);
      return;
    }
    for (String location : locations) {
      LocationPool p = pools.get(new LocationKey(tenantId, location));
      if (p != null) {
        pump(p);
      }
    }
  }

  /**
   * Sends {@code {"type":"sync_trigger","priority":…}} to the location's devices of {@code
   * deviceType} (null: all of them).
   *
   * @return how many connections it was sent to
   */
  public int trigger(LocationKey location, String deviceType, String priority) {
    LocationPool p = pools.get(location);
    if (p == null) {
      return 0;
    }
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", "sync_trigger");
    frame.put("priority", priority);
    String text = Frame.write(frame);
    int sent = 0;
    for (Connection c : p.connections) {
      if (deviceType == null || deviceType.equals(c.principal.deviceType())) {
        c.send(text);
        sent++;
      }
    }
    return sent;
  }

  /**
   * Sends a frame that is not a change (a notice for the staff's screens) to every connection of
   * {@code location}; a device that is not connected does not get it later.
   *
   * @return how many connections it was sent to
   */
  public int notice(LocationKey location, Map<String, Object> frame) {
    LocationPool p = pools.get(location);
    if (p == null) {
      return 0;
    }
    String text = Frame.write(frame);
    int sent = 0;
    for (Connection c : p.connections) {
      c.send(text);
      sent++;
    }
    return sent;
  }

  /** Locations with at least one open connection. */
  public int connectedRestaurants() {
    return (int) pools.values().stream().filter(p -> !p.connections.isEmpty()).count();
  }

  /** Open connections, all locations together. */
  public int totalConnections() {
    return connectionCount.get();
  }

  /** A location's connections and last change; empty connections when nobody is connected. */
  public LocationStatus status(LocationKey location) {
    LocationPool p = pools.get(location);
    if (p == null) {
      return new LocationStatus(location.locationId(), 0, List.of(), 0, null);
    }
    List<LocationStatus.Device> devices =
        p.connections.stream()
            .sorted(Comparator.comparing(c -> c.connectedSince))
            .map(
                c ->
                    new LocationStatus.Device(
                        c.principal.deviceId(),
                        c.principal.deviceType(),
                        c.userId,
                        c.connectedSince.toString()))
            .toList();
    Instant at = p.lastChangeAt();
    return new LocationStatus(
        location.locationId(),
        devices.size(),
        devices,
        at == null ? 0 : p.readSeq(),
        at == null ? null : at.toString());
  }

  /** The heartbeat interval announced in the welcome frame. */
  public Duration heartbeat() {
    return heartbeat;
  }

  /**
   * One heartbeat: drops connections silent for two heartbeats, sends {@code heartbeat} frames to
   * the others, and re-reads every pool (in case a commit notice was lost). Runs on the scheduler
   * every heartbeat; public so a test with its own scheduler and clock can drive it.
   */
  public void heartbeatTick() {
    try {
      long now = clock.millis();
      long limit = 2 * heartbeat.toMillis();
      String frame = "{\"type\":\"heartbeat\",\"ts\":\"" + Instant.ofEpochMilli(now) + "\"}";
      for (LocationPool p : pools.values()) {
        for (Connection c : p.connections) {
          long silent = now - c.lastHeardMillis();
          if (silent > limit) {
            drop(
                c,
                CloseCodes.SILENT,
                "no frame from the client for " + silent + " ms (2 heartbeats): send pings",
                "silent");
          } else {
            c.send(frame);
          }
        }
        pump(p);
      }
    } catch (RuntimeException e) {
      log.warn("the /ws/sync heartbeat failed; it runs again in {}", heartbeat, e);
    }
  }

  /** Closes every connection with 1001 and stops the heartbeat. Call before stopping the app. */
  @Override
  public void close() {
    closed = true;
    ticker.cancel(false);
    if (ownScheduler) {
      scheduler.shutdownNow();
    }
    for (LocationPool p : pools.values()) {
      for (Connection c : p.connections) {
        c.close(CloseCodes.GOING_AWAY, "the " + server + " is shutting down: reconnect later");
      }
    }
    workers.shutdown();
  }

  // ---- WebSocket events ----

  private void onConnect(WsConnectContext ctx) {
    if (closed) {
      ctx.closeSession(CloseCodes.GOING_AWAY, "the " + server + " is shutting down");
      return;
    }
    String token = bearer(ctx.header("Authorization"));
    if (token == null) {
      token = ctx.queryParam("access_token");
    }
    if (token == null || token.isBlank()) {
      refuse(
          ctx,
          CloseCodes.UNAUTHORIZED,
          "no token: send Authorization: Bearer <device token> or ?access_token=");
      return;
    }
    String deviceId = ctx.queryParam("device_id");
    String restaurantId = ctx.queryParam("restaurant_id");
    if (blank(deviceId) || blank(restaurantId)) {
      refuse(
          ctx, CloseCodes.BAD_REQUEST, "device_id and restaurant_id are required query parameters");
      return;
    }
    Long since = null;
    String rawSince = ctx.queryParam("since");
    if (rawSince != null && !rawSince.isEmpty()) {
      since = parseSeq(rawSince);
      if (since == null) {
        refuse(
            ctx,
            CloseCodes.BAD_REQUEST,
            "since must be the last seq you delivered (an integer >= 0), was '"
                + abbreviate(rawSince, 20)
                + "'");
        return;
      }
    }
    String userId = ctx.queryParam("user_id");
    Admission admission;
    try {
      admission =
          authenticator.admit(
              new Handshake(token, deviceId, restaurantId, blank(userId) ? null : userId));
    } catch (RuntimeException e) {
      log.error("the /ws/sync authenticator failed for device {}", deviceId, e);
      refuse(ctx, 1011, "the " + server + " could not check the token (a bug, see its log)");
      return;
    }
    if (admission instanceof Admission.Refused r) {
      refuse(ctx, r.closeCode(), r.reason());
      return;
    }
    SocketPrincipal principal = ((Admission.Admitted) admission).principal();
    if (!principal.locationId().equals(restaurantId)) {
      refuse(
          ctx,
          CloseCodes.FORBIDDEN,
          "the token belongs to another restaurant than " + abbreviate(restaurantId, 40));
      return;
    }
    LocationKey key = principal.location();
    ctx.session.setIdleTimeout(heartbeat.multipliedBy(4).plusSeconds(1));
    Connection c = join(key, ctx, principal, blank(userId) ? null : userId);
    try {
      c.pool.start(source);
      Optional<ChangeSource.Upstream> upstream = source.upstream(key);
      long latest = source.latestSeq(key);
      Map<String, Object> welcome = new LinkedHashMap<>();
      welcome.put("type", "welcome");
      welcome.put("server", server);
      welcome.put("stream", source.stream(key));
      welcome.put("restaurant_id", key.locationId());
      welcome.put("latest_seq", latest);
      welcome.put("heartbeat_seconds", heartbeat.toMillis() / 1000.0);
      upstream.ifPresent(
          u ->
              welcome.put(
                  "upstream",
                  Map.of("stream", u.stream(), "seq", u.seq(), "through_seq", u.throughSeq())));
      c.start(Frame.write(welcome), since == null ? latest : since);
    } catch (RuntimeException e) {
      log.error("cannot start /ws/sync for device {} of {}", deviceId, key, e);
      drop(c, 1011, "the " + server + " cannot read its change feed: retry later", "error");
    }
  }

  private void onMessage(WsMessageContext ctx) {
    Connection c = ctx.attribute(ATTR);
    if (c == null || c.closed()) {
      return;
    }
    c.heard(clock.millis());
    String text = ctx.message();
    JsonNode f;
    try {
      f = Frame.MAPPER.readTree(text);
    } catch (Exception e) {
      error(c, "invalid_json", "frames are JSON objects; could not read: " + abbreviate(text, 60));
      return;
    }
    if (f == null || !f.isObject()) {
      error(
          c, "invalid_frame", "frames are JSON objects with a type, was: " + abbreviate(text, 60));
      return;
    }
    JsonNode type = f.get("type");
    String t = type == null || !type.isTextual() ? null : type.asText();
    if ("ping".equals(t)) {
      c.consecutiveErrors = 0;
      c.send("{\"type\":\"pong\"}");
    } else if ("pong".equals(t)) {
      c.consecutiveErrors = 0;
    } else if ("resume".equals(t)) {
      JsonNode s = f.get("since");
      if (s == null || !s.canConvertToExactIntegral() || !s.canConvertToLong() || s.asLong() < 0) {
        error(
            c,
            "invalid_field",
            "resume needs since: the last seq you delivered (an integer >= 0), was " + s);
        return;
      }
      c.consecutiveErrors = 0;
      c.resume(s.asLong());
    } else {
      error(
          c,
          "unknown_type",
          "a client sends frames of type ping, pong or resume, not "
              + (t == null ? "a frame without a text type" : "'" + abbreviate(t, 40) + "'"));
    }
  }

  private void onBinaryMessage(WsBinaryMessageContext ctx) {
    Connection c = ctx.attribute(ATTR);
    if (c != null && !c.closed()) {
      c.heard(clock.millis());
      error(c, "binary_frame", "frames are JSON text frames, not binary");
    }
  }

  private void onClose(WsCloseContext ctx) {
    Connection c = ctx.attribute(ATTR);
    if (c != null) {
      leave(c);
    }
  }

  private void onError(WsErrorContext ctx) {
    Connection c = ctx.attribute(ATTR);
    if (c != null) {
      log.debug("/ws/sync error for device {}", c.principal.deviceId(), ctx.error());
      leave(c);
    }
  }

  // ---- internals, also used by Connection ----

  void execute(Runnable task) {
    try {
      workers.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down
    }
  }

  void frameSent() {
    framesSent.increment();
  }

  List<Frame> readDirect(LocationKey key, long since, int limit) {
    List<ChangeSource.FeedChange> changes = source.read(key, since, limit);
    List<Frame> frames = new ArrayList<>(changes.size());
    for (ChangeSource.FeedChange ch : changes) {
      // An older change than the pool's reader remembers: its earlier state is unknown.
      frames.add(Frame.of(ch, null));
    }
    return frames;
  }

  void drainFailed(Connection c, RuntimeException e) {
    log.warn(
        "cannot read the change feed for device {} of {}; it retries at the next change or"
            + " heartbeat",
        c.principal.deviceId(),
        c.pool.key,
        e);
  }

  void sendFailed(Connection c, Throwable t) {
    log.debug("sending to device {} failed: {}", c.principal.deviceId(), t.toString());
    c.markClosed();
    if (leave(c)) {
      dropped("send_failed");
    }
  }

  private void pump(LocationPool p) {
    if (p.pumpWip.getAndIncrement() != 0) {
      return;
    }
    execute(
        () -> {
          int missed = 1;
          do {
            try {
              p.start(source);
              while (true) {
                List<ChangeSource.FeedChange> changes = source.read(p.key, p.readSeq(), READ_BATCH);
                if (changes.isEmpty()) {
                  break;
                }
                p.append(changes, Instant.now(clock));
                if (changes.size() < READ_BATCH) {
                  break;
                }
              }
            } catch (RuntimeException e) {
              log.warn(
                  "cannot read the change feed of {}; retrying at the next commit or heartbeat",
                  p.key,
                  e);
            }
            p.connections.forEach(Connection::kick);
            missed = p.pumpWip.addAndGet(-missed);
          } while (missed != 0);
        });
  }

  private Connection join(LocationKey key, WsConnectContext ctx, SocketPrincipal p, String user) {
    Connection[] made = new Connection[1];
    pools.compute(
        key,
        (k, pool) -> {
          LocationPool target =
              pool != null ? pool : new LocationPool(k, recentFrames, knownRecords);
          made[0] =
              new Connection(
                  this,
                  ctx.session,
                  p,
                  user,
                  target,
                  reservedFor.contains(p.deviceType()),
                  clock.millis());
          target.connections.add(made[0]);
          return target;
        });
    ctx.attribute(ATTR, made[0]);
    connectionCount.incrementAndGet();
    return made[0];
  }

  /** Removes a connection from its pool, once; true if this call removed it. */
  private boolean leave(Connection c) {
    c.markClosed();
    boolean[] removed = {false};
    pools.computeIfPresent(
        c.pool.key,
        (k, pool) -> {
          removed[0] = pool.connections.remove(c);
          return pool.connections.isEmpty() ? null : pool;
        });
    if (removed[0]) {
      connectionCount.decrementAndGet();
    }
    return removed[0];
  }

  private void drop(Connection c, int code, String reason, String why) {
    boolean removed = leave(c);
    c.close(code, reason);
    if (removed) {
      dropped(why);
    }
  }

  private void dropped(String why) {
    Counter.builder("olympus_ws_dropped_connections")
        .description("/ws/sync connections the server dropped")
        .tag("reason", why)
        .register(registry)
        .increment();
  }

  private void error(Connection c, String code, String message) {
    if (++c.consecutiveErrors > MAX_CONSECUTIVE_ERRORS) {
      drop(
          c,
          CloseCodes.TOO_MANY_ERRORS,
          MAX_CONSECUTIVE_ERRORS + " malformed frames in a row: fix the client",
          "errors");
      return;
    }
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", "error");
    frame.put("error", code);
    frame.put("message", message);
    c.send(Frame.write(frame));
  }

  private static void refuse(WsContext ctx, int code, String reason) {
    ctx.closeSession(code, abbreviate(reason, 120));
  }

  private static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = header.substring(7).strip();
    return t.isEmpty() ? null : t;
  }

  private static Long parseSeq(String raw) {
    try {
      long v = Long.parseLong(raw);
      return v < 0 ? null : v;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  /** Settings of a {@link SyncSocketHub}; every one has a default. */
  public static final class Builder {
    private final String server;
    private final ChangeSource source;
    private final SocketAuthenticator authenticator;
    private Duration heartbeat = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private int recentFrames = 4096;
    private int knownRecords = 10_000;
    private Set<String> reservedFor = Set.of("olympus_edge");

    private Builder(String server, ChangeSource source, SocketAuthenticator authenticator) {
      this.server = Objects.requireNonNull(server, "server");
      this.source = Objects.requireNonNull(source, "source");
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    /** How often heartbeats go out (default 30 s; fractions of a second are fine in tests). */
    public Builder heartbeat(Duration interval) {
      if (interval.toMillis() < 10) {
        throw new IllegalArgumentException(
            "the heartbeat must be at least 10 ms, was " + interval + ": use e.g. PT30S");
      }
      this.heartbeat = interval;
      return this;
    }

    /** The clock for silence and status times (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs the heartbeat (default: a daemon thread of the hub's own, shut down by close). */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where {@code olympus_ws_*} metrics go (default: a registry nobody reads). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Frames per location kept in memory for connections a little behind (default 4096). */
    public Builder recentFrames(int frames) {
      if (frames < 1) {
        throw new IllegalArgumentException("recentFrames must be >= 1, was " + frames);
      }
      this.recentFrames = frames;
      return this;
    }

    /**
     * Records per location whose last broadcast data the hub remembers to name the next change
     * (e.g. {@code status_changed} rather than {@code updated}); default 10,000.
     */
    public Builder knownRecords(int records) {
      if (records < 0) {
        throw new IllegalArgumentException("knownRecords must be >= 0, was " + records);
      }
      this.knownRecords = records;
      return this;
    }

    /**
     * The device types that also receive changes of reserved collections (names starting with
     * {@code _}, e.g. {@code _devices}); default {@code olympus_edge} only. The others skip them.
     */
    public Builder reservedCollectionsFor(Set<String> deviceTypes) {
      this.reservedFor = Set.copyOf(deviceTypes);
      return this;
    }

    public SyncSocketHub build() {
      return new SyncSocketHub(this);
    }
  }
}
