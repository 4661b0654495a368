package dev.olympus.edge.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.syncer.Backoff;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's WebSocket to the cloud's {@code /ws/service-host} (seed 003's push notifications):
 * {@code config:updated} and {@code config:urgent} ask for a delta sync at once, {@code
 * sync:required} for a full one. Like {@link dev.olympus.edge.syncer.CloudChannel} it carries no
 * config itself, so a lost frame costs latency (the heartbeat catches up), never data. Pings every
 * {@code pingInterval} and reconnects with backoff when the cloud goes silent or the socket drops.
 */
public final class ServiceHostChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceHostChannel.class);

  /** What the channel tells the config syncer. */
  public interface Listener {
    /** {@code config:updated} or {@code config:urgent}: the cloud is at {@code version} now. */
    void onConfigChanged(long version, boolean urgent);

    /** {@code sync:required}: the cloud wants a full sync. */
    void onFullSyncRequired(String reason);
  }

  private final URI uri;
  private final String authorization;
  private final Listener listener;
  private final Backoff backoff;
  private final Duration pingInterval;
  private final HttpClient http;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("edge-service-host-channel").factory());
  private final AtomicLong notices = new AtomicLong();

  // Guarded by this.
  private WebSocket socket;
  private ScheduledFuture<?> ticker;
  private long failures;
  private long attempt; // tells a stale socket's events from the current one's
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile long lastHeardMillis;

  /**
   * @param cloudUrl the cloud's base URL ({@code http(s)://…}; the socket uses {@code ws(s)})
   * @param apiKey the edge's device token
   * @param deviceId the edge's device id in the cloud
   * @param pingInterval how often to ping; twice that without a frame or pong means a dead link
   */
  public ServiceHostChannel(
      URI cloudUrl,
      String apiKey,
      String deviceId,
      Listener listener,
      Backoff backoff,
      Duration pingInterval) {
    this.uri = socketUri(cloudUrl, deviceId);
    this.authorization = "Bearer " + apiKey;
    this.listener = listener;
    this.backoff = backoff;
    this.pingInterval = pingInterval;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Connects in the background and keeps reconnecting until closed. */
  public void start() {
    timer.execute(this::connect);
  }

  /** Whether the socket is open. */
  public boolean connected() {
    return connected;
  }

  /** Config notices received so far. */
  public long notices() {
    return notices.get();
  }

  static URI socketUri(URI cloudUrl, String deviceId) {
    String scheme = "https".equalsIgnoreCase(cloudUrl.getScheme()) ? "wss" : "ws";
    String base = cloudUrl.toString().replaceFirst("^[a-zA-Z]+://", scheme + "://");
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(
        base + "/ws/service-host?device_id=" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8));
  }

  private void connect() {
    if (closed) {
      return;
    }
    long mine;
    synchronized (this) {
      mine = ++attempt;
    }
    http.newWebSocketBuilder()
        .header("Authorization", authorization)
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(uri, new SocketListener(mine))
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

  private void opened(long mine) {
    synchronized (this) {
      if (mine != attempt) {
        return;
      }
      failures = 0;
      connected = true;
      if (ticker != null) {
        ticker.cancel(false);
      }
      long ms = pingInterval.toMillis();
      ticker = timer.scheduleAtFixedRate(() -> tick(mine), ms, ms, TimeUnit.MILLISECONDS);
    }
    log.info("service-host channel to {} is up", uri.getHost() + ":" + uri.getPort());
  }

  void onFrame(String text) {
    lastHeardMillis = System.currentTimeMillis();
    JsonNode f;
    try {
      f = Json.MAPPER.readTree(text);
    } catch (Exception e) {
      log.debug("the cloud sent a service-host frame that is not JSON; ignored");
      return;
    }
    if (f == null) {
      return;
    }
    String type = f.path("type").asText("");
    switch (type) {
      // The welcome carries the version now: whatever changed while the socket was down.
      case "welcome" -> listener.onConfigChanged(f.path("version").asLong(-1), false);
      case "config:updated", "config:urgent" -> {
        notices.incrementAndGet();
        boolean urgent = type.equals("config:urgent");
        if (urgent) {
          log.info(
              "urgent config change {} {}/{}: syncing now",
              f.path("reason").asText("(no reason given)"),
              f.path("entity_type").asText("?"),
              f.path("entity_id").asText("?"));
        }
        listener.onConfigChanged(f.path("version").asLong(-1), urgent);
      }
      case "sync:required" -> {
        notices.incrementAndGet();
        listener.onFullSyncRequired(f.path("reason").asText("the cloud asked for a full sync"));
      }
      default -> log.debug("service-host frame of type '{}' ignored", type);
    }
  }

  private void tick(long mine) {
    WebSocket ws;
    synchronized (this) {
      if (mine != attempt) {
        return;
      }
      ws = socket;
    }
    long silent = System.currentTimeMillis() - lastHeardMillis;
    if (silent > 2 * pingInterval.toMillis() + 1_000) {
      failed(mine, "no frame or pong from the cloud for " + silent + " ms");
      return;
    }
    if (ws != null) {
      ws.sendPing(ByteBuffer.allocate(0));
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
    // One line when the channel goes down; the retries of an outage are DEBUG (the heartbeat
    // already says the edge is offline).
    log.atLevel(n == 1 ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG)
        .log("service-host channel down ({}); retrying in {} ms", why, wait.toMillis());
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

  private final class SocketListener implements WebSocket.Listener {
    private final long mine;
    private final StringBuilder partial = new StringBuilder();

    SocketListener(long mine) {
      this.mine = mine;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      lastHeardMillis = System.currentTimeMillis();
      webSocket.request(1);
      opened(mine);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        onFrame(text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      lastHeardMillis = System.currentTimeMillis();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      if (statusCode == 4401 || statusCode == 4403 || statusCode == 1008) {
        log.warn(
            "the cloud refused the service-host channel ({} {}): check the edge's token and"
                + " device id; the heartbeat still finds config changes",
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
