package dev.olympus.web.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket client for tests: collects the frames it receives and how it was closed. */
public final class TestSocket implements WebSocket.Listener, AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public final BlockingQueue<Map<String, Object>> frames = new LinkedBlockingQueue<>();
  public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  public volatile String closeReason;
  private final StringBuilder partial = new StringBuilder();
  WebSocket ws;

  /** Opens a socket; a refused handshake still opens and is then closed with a code. */
  public static TestSocket open(String url, String token) {
    TestSocket s = new TestSocket();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    s.ws = b.buildAsync(URI.create(url), s).join();
    return s;
  }

  public void send(String text) {
    ws.sendText(text, true).join();
  }

  /** The next frame that is not a heartbeat, or fails after the timeout. */
  public Map<String, Object> next(long timeoutMs) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMs;
    while (true) {
      Map<String, Object> f =
          frames.poll(Math.max(0, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      if (f == null) {
        throw new AssertionError("no frame within " + timeoutMs + " ms");
      }
      if (!"heartbeat".equals(f.get("type"))) {
        return f;
      }
    }
  }

  /** The first frame matching, skipping others. */
  public Map<String, Object> await(Predicate<Map<String, Object>> p, long timeoutMs)
      throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMs;
    while (true) {
      Map<String, Object> f =
          frames.poll(Math.max(0, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      if (f == null) {
        throw new AssertionError("no matching frame within " + timeoutMs + " ms");
      }
      if (p.test(f)) {
        return f;
      }
    }
  }

  /** Whether a non-heartbeat frame arrives within the time. */
  public Map<String, Object> nextOrNull(long timeoutMs) throws InterruptedException {
    try {
      return next(timeoutMs);
    } catch (AssertionError e) {
      return null;
    }
  }

  public int awaitClose(long timeoutMs) throws Exception {
    return closeCode.get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        frames.add(
            MAPPER.readValue(partial.toString(), new TypeReference<Map<String, Object>>() {}));
      } catch (Exception e) {
        frames.add(Map.of("type", "unreadable", "text", partial.toString()));
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason = reason;
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeCode.complete(-1);
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    ws.abort();
  }
}
