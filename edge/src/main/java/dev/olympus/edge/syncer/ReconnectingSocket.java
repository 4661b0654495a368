package dev.olympus.edge.syncer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * A WebSocket client to the cloud that stays up: it connects with the JDK client, pings while up,
 * drops a socket that has gone silent and reconnects with {@link Backoff} until closed. The
 * channels built on it ({@link CloudChannel}, {@code ServiceHostChannel}) say what a frame means
 * and when the link counts as up; this class owns the socket's life.
 *
 * <p>Every connect is a new attempt with its own number; an event of an older attempt (a late
 * close, a ping tick, a welcome) is ignored, so one outage reconnects once.
 */
public final class ReconnectingSocket implements AutoCloseable {
  /** What a channel does with its socket's events; called on the socket's threads. */
  public interface Handler {
    /** The socket opened; a channel that waits for a welcome frame has nothing to do here. */
    default void onOpen(long attempt) {}

    /** A whole text frame (partial frames already put together) of the given attempt. */
    void onText(long attempt, String text);

    /** The cloud closed the socket; the socket reconnects after this returns. */
    default void onClose(int statusCode, String reason) {}
  }

  /** How the socket keeps the link alive, and what it misses when the cloud goes silent. */
  public enum Ping {
    /** A {@code {"type":"ping"}} text frame, which the cloud answers with a frame. */
    TEXT_FRAME("no frame"),
    /** A WebSocket ping control frame, which the cloud answers with a pong. */
    CONTROL_FRAME("no frame or pong");

    private final String missing;

    Ping(String missing) {
      this.missing = missing;
    }
  }

  private static final String PING_FRAME = "{\"type\":\"ping\"}";

  private final String name;
  private final Logger log;
  private final Supplier<URI> uri;
  private final String authorization;
  private final Backoff backoff;
  private final Ping ping;
  private final Handler handler;
  private final HttpClient http;
  private final ScheduledExecutorService timer;

  // Guarded by this.
  private WebSocket socket;
  private ScheduledFuture<?> ticker;
  private long failures;
  private long attempt; // tells a stale socket's events from the current one's
  private volatile boolean up;
  private volatile boolean closed;
  private volatile long lastHeardMillis;

  /**
   * @param name what the log lines call the channel: "{name} down (…); retrying in … ms"
   * @param log the channel's logger, so its lines keep the channel's name
   * @param threadName the name of the thread that connects, pings and reconnects
   * @param uri the socket's URL, asked again on every attempt
   * @param authorization the {@code Authorization} header of every attempt
   * @param backoff the wait between reconnect attempts
   * @param ping how to ping the cloud while up
   * @param handler what the channel makes of the socket's events
   */
  public ReconnectingSocket(
      String name,
      Logger log,
      String threadName,
      Supplier<URI> uri,
      String authorization,
      Backoff backoff,
      Ping ping,
      Handler handler) {
    this.name = name;
    this.log = log;
    this.uri = uri;
    this.authorization = authorization;
    this.backoff = backoff;
    this.ping = ping;
    this.handler = handler;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name(threadName).factory());
  }

  /**
   * The {@code ws(s)} URL of {@code pathAndQuery} on the cloud at {@code cloudUrl} ({@code
   * http(s)://…}, with or without a trailing slash).
   */
  public static URI socketUri(URI cloudUrl, String pathAndQuery) {
    String scheme = "https".equalsIgnoreCase(cloudUrl.getScheme()) ? "wss" : "ws";
    String base = cloudUrl.toString().replaceFirst("^[a-zA-Z]+://", scheme + "://");
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + pathAndQuery);
  }

  /** Connects in the background, and keeps reconnecting until closed. */
  public void start() {
    timer.execute(this::connect);
  }

  /** Whether the channel marked the current attempt up and it has not failed since. */
  public boolean up() {
    return up;
  }

  /**
   * Marks {@code attempt} up: resets the backoff and pings every {@code pingEvery}; a silence
   * longer than {@code silenceLimit} drops the socket and reconnects.
   *
   * @return false, doing nothing, if {@code attempt} is no longer the current one
   */
  public boolean markUp(long attempt, Duration pingEvery, Duration silenceLimit) {
    long every = pingEvery.toMillis();
    long limit = silenceLimit.toMillis();
    synchronized (this) {
      if (attempt != this.attempt) {
        return false;
      }
      failures = 0;
      up = true;
      if (ticker != null) {
        ticker.cancel(false);
      }
      ticker =
          timer.scheduleAtFixedRate(
              () -> tick(attempt, limit), every, every, TimeUnit.MILLISECONDS);
    }
    return true;
  }

  private void connect() {
    if (closed) {
      return;
    }
    long mine;
    synchronized (this) {
      mine = ++attempt;
    }
    URI target = uri.get();
    http.newWebSocketBuilder()
        .header("Authorization", authorization)
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(target, new Listener(mine))
        .whenComplete(
            (ws, error) -> {
              if (error != null) {
                failed(
                    mine,
                    "cannot open " + target.getHost() + ":" + target.getPort() + ": " + error);
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

  /** Pings while up (the cloud drops silent sockets); gives up on a silent cloud. */
  private void tick(long mine, long silenceLimitMillis) {
    WebSocket ws;
    synchronized (this) {
      if (mine != attempt) {
        return;
      }
      ws = socket;
    }
    long silent = System.currentTimeMillis() - lastHeardMillis;
    if (silent > silenceLimitMillis) {
      failed(mine, ping.missing + " from the cloud for " + silent + " ms");
      return;
    }
    if (ws != null) {
      switch (ping) {
        case TEXT_FRAME -> ws.sendText(PING_FRAME, true);
        case CONTROL_FRAME -> ws.sendPing(ByteBuffer.allocate(0));
      }
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
      up = false;
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
    // One line when the channel goes down; the retries of an outage are DEBUG (the syncers already
    // say the edge is offline).
    log.atLevel(n == 1 ? Level.INFO : Level.DEBUG)
        .log("{} down ({}); retrying in {} ms", name, why, wait.toMillis());
    timer.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    WebSocket ws;
    synchronized (this) {
      closed = true;
      up = false;
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
      handler.onOpen(mine);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        lastHeardMillis = System.currentTimeMillis();
        handler.onText(mine, text);
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
      handler.onClose(statusCode, reason);
      failed(mine, "closed " + statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      failed(mine, error.toString());
    }
  }
}
