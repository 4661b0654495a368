package dev.olympus.edge.syncer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's WebSocket to the cloud's {@code /ws/sync}, as its {@code olympus_edge} device: every
 * change frame of another writer and every {@code sync_trigger} asks the syncer for a cycle, so
 * cloud changes reach the edge in milliseconds instead of at the next interval. It carries no data
 * itself: the cycle's pull does, so a lost frame costs latency, never data. Reconnects with
 * backoff; while it is down the syncer's long poll takes over.
 */
public final class CloudChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CloudChannel.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long DEFAULT_HEARTBEAT_MS = 30_000;

  private final URI cloudUrl;
  private final String apiKey;
  private final String deviceId;
  private final String locationId;
  private final LongSupplier since;
  private final Runnable onNotice;
  private final Backoff backoff;
  private final HttpClient http;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("edge-cloud-channel").factory());
  private final AtomicLong notices = new AtomicLong();

  // Guarded by this.
  private WebSocket socket;
  private ScheduledFuture<?> ticker;
  private long failures;
  private long attempt; // tells a stale socket's events from the current one's
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile long lastHeardMillis;
  private volatile long heartbeatMs = DEFAULT_HEARTBEAT_MS;

  /**
   * @param cloudUrl the cloud's base URL ({@code http(s)://…}; the socket uses {@code ws(s)})
   * @param apiKey the edge's device token
   * @param deviceId the edge's device id in the cloud (its node id)
   * @param locationId the edge's location
   * @param since the last seq the edge pulled: the cloud replays from there
   * @param onNotice what to do on a change or trigger: {@link Syncer#requestSync()}
   * @param backoff the wait between reconnect attempts
   */
  public CloudChannel(
      URI cloudUrl,
      String apiKey,
      String deviceId,
      String locationId,
      LongSupplier since,
      Runnable onNotice,
      Backoff backoff) {
    this.cloudUrl = cloudUrl;
    this.apiKey = apiKey;
    this.deviceId = deviceId;
    this.locationId = locationId;
    this.since = since;
    this.onNotice = onNotice;
    this.backoff = backoff;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Connects in the background, and keeps reconnecting until closed. */
  public void start() {
    timer.execute(this::connect);
  }

  /** Whether the socket is up (welcomed by the cloud). */
  public boolean connected() {
    return connected;
  }

  /** Changes and triggers received so far that asked for a cycle. */
  public long notices() {
    return notices.get();
  }

  private void connect() {
    if (closed) {
      return;
    }
    long mine;
    synchronized (this) {
      mine = ++attempt;
    }
    URI uri = socketUri();
    http.newWebSocketBuilder()
        .header("Authorization", "Bearer " + apiKey)
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(uri, new Listener(mine))
        .whenComplete(
            (ws, error) -> {
              if (error != null) {
                failed(mine, "cannot open " + uri.getHost() + ":" + uri.getPort() + ": " + error);
                return;
              }
              synchronized (this) {
                if (mine != attempt || closed) {
                  ws.abort();
                  return;
                }
                socket = ws;
              }
            });
  }

  private URI socketUri() {
    String scheme = "https".equalsIgnoreCase(cloudUrl.getScheme()) ? "wss" : "ws";
    String base = cloudUrl.toString().replaceFirst("^[a-zA-Z]+://", scheme + "://");
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(
        base
            + "/ws/sync?device_id="
            + enc(deviceId)
            + "&restaurant_id="
            + enc(locationId)
            + "&since="
            + Math.max(0, since.getAsLong()));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private void onFrame(long mine, String text) {
    lastHeardMillis = System.currentTimeMillis();
    JsonNode f;
    try {
      f = MAPPER.readTree(text);
    } catch (Exception e) {
      log.debug("the cloud sent a frame that is not JSON; ignored");
      return;
    }
    String type = f.path("type").asText("");
    switch (type) {
      case "welcome" -> welcomed(mine, f);
      case "heartbeat", "pong", "ping", "error" -> {
        if (type.equals("error")) {
          log.warn("the cloud answered a frame with {}", f);
        }
      }
      case "sync_trigger" -> notice();
      default -> {
        // An echo of this edge's own push needs no cycle: it already holds that record.
        if (f.has("seq") && !deviceId.equals(f.path("origin").asText(null))) {
          notice();
        }
      }
    }
  }

  private void welcomed(long mine, JsonNode f) {
    double seconds = f.path("heartbeat_seconds").asDouble(DEFAULT_HEARTBEAT_MS / 1000.0);
    heartbeatMs = Math.max(10, (long) (seconds * 1000));
    synchronized (this) {
      if (mine != attempt) {
        return;
      }
      failures = 0;
      connected = true;
      if (ticker != null) {
        ticker.cancel(false);
      }
      ticker =
          timer.scheduleAtFixedRate(
              () -> tick(mine), heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
    }
    log.info("real-time channel to {} is up", cloudUrl);
    notice(); // whatever changed while the socket was down
  }

  private void notice() {
    notices.incrementAndGet();
    onNotice.run();
  }

  /** Pings every heartbeat (the cloud drops silent sockets); gives up on a silent cloud. */
  private void tick(long mine) {
    WebSocket ws;
    synchronized (this) {
      if (mine != attempt) {
        return;
      }
      ws = socket;
    }
    long silent = System.currentTimeMillis() - lastHeardMillis;
    if (silent > 2 * heartbeatMs) {
      failed(mine, "no frame from the cloud for " + silent + " ms");
      return;
    }
    if (ws != null) {
      ws.sendText("{\"type\":\"ping\"}", true);
    }
  }

  private void failed(long mine, String why) {
    WebSocket ws;
    long n;
    synchronized (this) {
      if (mine != attempt || closed) {
        return;
      }
      attempt++; // later events of this socket are stale
      ws = socket;
      socket = null;
      connected = false;
      if (ticker != null) {
        ticker.cancel(false);
        ticker = null;
      }
      n = ++failures;
    }
    if (ws != null) {
      ws.abort();
    }
    Duration wait = backoff.delay(n);
    // One line when the channel goes down; the retries of an outage are DEBUG (the syncer already
    // says the edge is offline).
    log.atLevel(n == 1 ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG)
        .log("real-time channel to the cloud down ({}); retrying in {} ms", why, wait.toMillis());
    timer.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    WebSocket ws;
    synchronized (this) {
      closed = true;
      connected = false;
      attempt++;
      ws = socket;
      socket = null;
    }
    if (ws != null) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "edge stopping").whenComplete((w, e) -> ws.abort());
    }
    timer.shutdownNow();
  }

  private final class Listener implements WebSocket.Listener {
    private final long mine;
    private final StringBuilder partial = new StringBuilder();

    Listener(long mine) {
      this.mine = mine;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      lastHeardMillis = System.currentTimeMillis();
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        onFrame(mine, text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      if (statusCode == 4401 || statusCode == 4403) {
        log.warn(
            "the cloud refused the real-time channel ({} {}): check the edge's token and device"
                + " id; the long poll carries on",
            statusCode,
            reason);
      }
      failed(mine, "closed " + statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      failed(mine, error.toString());
    }
  }
}
