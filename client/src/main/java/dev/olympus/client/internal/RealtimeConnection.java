package dev.olympus.client.internal;

import dev.olympus.client.Change;
import dev.olympus.client.ConnectionState;
import dev.olympus.client.ConnectionStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time connection of realtime.md: connects to the first reachable endpoint, reconnects
 * with backoff to the next, probes preferred endpoints to switch back, keeps heartbeats, and
 * delivers each change once and in order (cursor per stream, gap detection through {@code prev_seq}
 * and {@code resume}, dedup by record version across streams). All state lives on {@link #loop}.
 */
public final class RealtimeConnection {
  private static final Logger log = LoggerFactory.getLogger(RealtimeConnection.class);
  private static final long DEFAULT_HEARTBEAT_MS = 30_000;

  private final ClientConfig config;
  private final OkHttpClient http;
  private final DeliveryLedger ledger;
  private final Backoff backoff;
  private final SerialExecutor loop;
  private final Consumer<ConnectionStatus> statusSink;
  private final Consumer<Change> changeSink;
  private final Consumer<String> endpointSink;

  private volatile ConnectionStatus status =
      new ConnectionStatus(ConnectionState.OFFLINE, null, null, "not started");
  private Attempt current;
  private int index;
  private int failures;
  private boolean closed;
  private ScheduledFuture<?> retry;
  private ScheduledFuture<?> watchdog;
  private ScheduledFuture<?> probe;

  /**
   * A connection, idle until {@link #start()}.
   *
   * @param statusSink told every status, on the loop
   * @param changeSink given every change to deliver, once, in order, on the loop
   * @param endpointSink given the connected endpoint's base URL, or null when disconnected
   */
  public RealtimeConnection(
      ClientConfig config,
      OkHttpClient http,
      DeliveryLedger ledger,
      Consumer<ConnectionStatus> statusSink,
      Consumer<Change> changeSink,
      Consumer<String> endpointSink) {
    this.config = config;
    this.http = http;
    this.ledger = ledger;
    this.backoff = new Backoff(config.backoffBase(), config.backoffMax(), config.random());
    this.loop = new SerialExecutor(config.scheduler());
    this.statusSink = statusSink;
    this.changeSink = changeSink;
    this.endpointSink = endpointSink;
  }

  /** The latest status. */
  public ConnectionStatus status() {
    return status;
  }

  /** Connects to the first endpoint. */
  public void start() {
    loop.execute(() -> connect(0));
  }

  /** The ledger's cursors, read on the delivery loop. */
  public CompletableFuture<Map<String, Long>> cursors() {
    CompletableFuture<Map<String, Long>> f = new CompletableFuture<>();
    loop.execute(() -> f.complete(ledger.cursors()));
    return f;
  }

  /** Closes the socket, stops timers and saves the ledger; waits up to 5 s. */
  public void close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          closed = true;
          cancelTimers();
          cancel(retry);
          if (current != null) {
            current.ws.close(1000, "client closing");
            current = null;
          }
          endpointSink.accept(null);
          setStatus(ConnectionState.OFFLINE, null, null, "closed by the application");
          try {
            ledger.close();
          } catch (IOException e) {
            log.warn("cannot save the delivery state: {}", e.toString());
          }
          done.complete(null);
        });
    try {
      done.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("closing the real-time connection took over 5 s: {}", e.toString());
    }
  }

  private void connect(int i) {
    if (closed) {
      return;
    }
    index = i;
    String endpoint = config.endpoints().get(i);
    long since = ledger.streamOf(endpoint).map(ledger::cursor).orElse(0L);
    HttpUrl.Builder url =
        HttpUrl.get(endpoint)
            .newBuilder()
            .addPathSegments("ws/sync")
            .addQueryParameter("device_id", config.deviceId())
            .addQueryParameter("restaurant_id", config.restaurantId());
    if (config.userId() != null) {
      url.addQueryParameter("user_id", config.userId());
    }
    url.addQueryParameter("since", Long.toString(since));
    Request request =
        new Request.Builder()
            .url(url.build())
            .header("Authorization", "Bearer " + config.deviceToken())
            .build();
    Attempt a = new Attempt(endpoint, since);
    current = a;
    setStatus(ConnectionState.CONNECTING, endpoint, null, "connecting from seq " + since);
    a.ws = http.newWebSocket(request, a);
  }

  private void opened(Attempt a) {
    a.lastReceived = config.clock().millis();
    restartWatchdog(a, heartbeatMs(null));
  }

  private void frame(Attempt a, String text) {
    Map<String, Object> f;
    try {
      f = Json.readMap(text);
    } catch (IOException e) {
      log.warn(
          "{} sent a frame that is not a JSON object; ignored: {}", a.endpoint, abbreviate(text));
      return;
    }
    String type = String.valueOf(f.get("type"));
    switch (type) {
      case "welcome" -> welcome(a, f);
      case "heartbeat", "pong" -> {}
      case "ping" -> a.ws.send("{\"type\":\"pong\"}");
      case "error" ->
          log.warn(
              "{} answered a frame with error {}: {}",
              a.endpoint,
              f.get("error"),
              f.get("message"));
      case "sync_trigger" ->
          log.debug("{} asked for a sync; terminals have nothing to do", a.endpoint);
      default -> {
        if (f.get("seq") instanceof Number && f.get("collection") != null && f.get("id") != null) {
          change(a, type, f);
        } else {
          log.debug("{} sent an unknown frame type '{}'; ignored", a.endpoint, type);
        }
      }
    }
  }

  private void welcome(Attempt a, Map<String, Object> f) {
    Object stream = f.get("stream");
    if (!(stream instanceof String s) || s.isEmpty()) {
      fail(a, "the welcome frame of " + a.endpoint + " has no stream: is it an Olympus v1 server?");
      return;
    }
    a.stream = s;
    a.heartbeatMs = heartbeatMs(f.get("heartbeat_seconds"));
    ledger.rememberStream(a.endpoint, s);
    if (f.get("upstream") instanceof Map<?, ?> up
        && up.get("stream") instanceof String upStream
        && up.get("seq") instanceof Number upSeq
        && up.get("through_seq") instanceof Number through) {
      a.upstreamStream = upStream;
      a.upstreamSeq = upSeq.longValue();
      a.throughSeq = through.longValue();
      markUpstream(a);
    }
    long last = ledger.cursor(s);
    if (a.since != last) {
      sendResume(a, last);
    }
    failures = 0;
    restartWatchdog(a, a.heartbeatMs);
    setStatus(
        ConnectionState.CONNECTED,
        a.endpoint,
        s,
        "welcomed by the " + f.getOrDefault("server", "server") + ", from seq " + last);
    endpointSink.accept(a.endpoint);
    if (index > 0) {
      long every = config.probeInterval().toMillis();
      probe =
          config
              .scheduler()
              .scheduleWithFixedDelay(
                  () -> loop.execute(() -> probePreferred(a)), every, every, TimeUnit.MILLISECONDS);
    }
  }

  private void change(Attempt a, String type, Map<String, Object> f) {
    if (a.stream == null) {
      log.warn("{} sent a change before its welcome; ignored", a.endpoint);
      return;
    }
    long seq = ((Number) f.get("seq")).longValue();
    long last = ledger.cursor(a.stream);
    if (seq <= last) {
      return; // a replay of something already delivered from this stream
    }
    if (f.get("prev_seq") instanceof Number prev && prev.longValue() > last) {
      if (!a.resumePending) {
        log.info(
            "{}: missed changes between seq {} and {} of {}; resuming",
            a.endpoint,
            last,
            prev,
            a.stream);
        sendResume(a, last);
      }
      return;
    }
    a.resumePending = false;
    String collection = String.valueOf(f.get("collection"));
    String id = String.valueOf(f.get("id"));
    long version = f.get("version") instanceof Number v ? v.longValue() : 0L;
    @SuppressWarnings("unchecked")
    Map<String, Object> data =
        f.get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
    boolean deleted = Boolean.TRUE.equals(f.get("deleted"));
    long content = DeliveryLedger.contentDigest(data, deleted);
    if (version == 0 || !ledger.alreadyDelivered(collection, id, version, content)) {
      changeSink.accept(
          new Change(
              type,
              String.valueOf(f.getOrDefault("action", "updated")),
              seq,
              a.stream,
              collection,
              id,
              data,
              version,
              deleted,
              f.get("origin") == null ? "" : String.valueOf(f.get("origin"))));
    }
    ledger.recordDelivered(a.stream, seq, collection, id, version, content);
    markUpstream(a);
  }

  /**
   * Moves the cursor of the edge's upstream stream once this client has delivered the edge's stream
   * through the mark of its welcome: a first failover to the cloud then replays only what came
   * after, not the location's whole history.
   */
  private void markUpstream(Attempt a) {
    if (a.upstreamStream != null && ledger.cursor(a.stream) >= a.throughSeq) {
      ledger.advanceCursor(a.upstreamStream, a.upstreamSeq);
      a.upstreamStream = null;
    }
  }

  private void sendResume(Attempt a, long since) {
    a.resumePending = true;
    a.resumeSentAt = config.clock().millis();
    a.ws.send("{\"type\":\"resume\",\"since\":" + since + "}");
  }

  private void tick(Attempt a) {
    if (current != a) {
      return;
    }
    long now = config.clock().millis();
    long hb = a.heartbeatMs;
    long silent = now - a.lastReceived;
    if (silent > 2 * hb) {
      a.ws.cancel();
      fail(
          a,
          "no frame from " + a.endpoint + " for " + silent + " ms (2 heartbeats): presumed dead");
    } else if (a.resumePending && now - a.resumeSentAt > 2 * hb) {
      a.ws.cancel();
      fail(a, a.endpoint + " did not answer a resume within 2 heartbeats");
    } else {
      a.ws.send("{\"type\":\"ping\"}");
    }
  }

  private void probePreferred(Attempt a) {
    if (current != a || a.stream == null || closed) {
      return;
    }
    for (int j = 0; j < index; j++) {
      int target = j;
      String endpoint = config.endpoints().get(j);
      Request r =
          new Request.Builder()
              .url(HttpUrl.get(endpoint).newBuilder().addPathSegments("api/health").build())
              .build();
      http.newCall(r)
          .enqueue(
              new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                  log.debug("{} is still unreachable: {}", endpoint, e.toString());
                }

                @Override
                public void onResponse(Call call, Response response) {
                  boolean ok = response.isSuccessful();
                  response.close();
                  if (ok) {
                    loop.execute(() -> switchBack(a, target));
                  }
                }
              });
    }
  }

  private void switchBack(Attempt a, int target) {
    if (current != a || closed || target >= index) {
      return;
    }
    log.info("{} is back; switching to it from {}", config.endpoints().get(target), a.endpoint);
    current = null;
    cancelTimers();
    a.ws.close(1000, "switching back to the preferred endpoint");
    endpointSink.accept(null);
    connect(target);
  }

  private void fail(Attempt a, String reason) {
    if (current != a) {
      return;
    }
    current = null;
    cancelTimers();
    endpointSink.accept(null);
    if (closed) {
      return;
    }
    Duration delay = backoff.delay(failures++);
    int next = (index + 1) % config.endpoints().size();
    setStatus(
        ConnectionState.OFFLINE,
        a.endpoint,
        null,
        reason + "; trying " + config.endpoints().get(next) + " in " + delay.toMillis() + " ms");
    retry =
        config
            .scheduler()
            .schedule(
                () -> loop.execute(() -> connect(next)), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void restartWatchdog(Attempt a, long hb) {
    cancel(watchdog);
    a.heartbeatMs = hb;
    watchdog =
        config
            .scheduler()
            .scheduleAtFixedRate(() -> loop.execute(() -> tick(a)), hb, hb, TimeUnit.MILLISECONDS);
  }

  private long heartbeatMs(Object serverSeconds) {
    if (config.heartbeatOverride() != null) {
      return config.heartbeatOverride().toMillis();
    }
    if (serverSeconds instanceof Number n && n.doubleValue() > 0) {
      return (long) (n.doubleValue() * 1000);
    }
    return DEFAULT_HEARTBEAT_MS;
  }

  private void cancelTimers() {
    cancel(watchdog);
    cancel(probe);
    watchdog = null;
    probe = null;
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  private void setStatus(ConnectionState state, String endpoint, String stream, String detail) {
    ConnectionStatus s = new ConnectionStatus(state, endpoint, stream, detail);
    status = s;
    log.debug("connection: {}", s);
    statusSink.accept(s);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static String describe(Throwable t, Response response) {
    if (response != null) {
      int code = response.code();
      String hint =
          code == 401
              ? " (the device token is missing or unknown: register the device again)"
              : code == 403
                  ? " (the token belongs to another restaurant or device: check restaurantId and"
                      + " deviceId)"
                  : "";
      return "the upgrade was answered " + code + hint;
    }
    return t.toString();
  }

  /** One connection attempt; its callbacks are ignored once it is no longer current. */
  private final class Attempt extends WebSocketListener {
    final String endpoint;
    final long since;
    WebSocket ws;
    volatile long lastReceived;
    String stream;
    long heartbeatMs = DEFAULT_HEARTBEAT_MS;
    boolean resumePending;
    long resumeSentAt;
    // An edge's mark: once this stream is delivered through throughSeq, everything of the
    // upstream (the cloud's) stream through upstreamSeq has been delivered too.
    String upstreamStream;
    long upstreamSeq;
    long throughSeq;

    Attempt(String endpoint, long since) {
      this.endpoint = endpoint;
      this.since = since;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      loop.execute(
          () -> {
            if (current == this) {
              opened(this);
            }
          });
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      lastReceived = config.clock().millis();
      loop.execute(
          () -> {
            if (current == this) {
              frame(this, text);
            }
          });
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(1000, null);
      String hint =
          switch (code) {
            case 4401 -> " (the device token is missing or unknown: register the device again)";
            case 4403 -> " (the token belongs to another restaurant or device: check the ids)";
            case 4400 -> " (a bad connect request: a bug in the SDK or server, please report it)";
            default -> "";
          };
      loop.execute(
          () -> fail(this, endpoint + " closed the connection: " + code + " " + reason + hint));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      String why = describe(t, response);
      loop.execute(() -> fail(this, "cannot reach " + endpoint + ": " + why));
    }
  }
}
