package dev.olympus.edge.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.store.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A device's {@code /ws/sync} connection for tests: frames in a queue, the close code kept. */
public final class TestSocket implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<int[]> closed = new CompletableFuture<>();
  volatile String closeReason;
  private final WebSocket socket;

  private TestSocket(URI uri, String token) throws Exception {
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    socket = b.buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
  }

  /** Connects to {@code /ws/sync} on the edge at {@code port}; {@code since} may be null. */
  public static TestSocket connect(
      int port, String token, String device, String restaurant, Long since) throws Exception {
    String q = "device_id=" + device + "&restaurant_id=" + restaurant + "&user_id=u-" + device;
    if (since != null) {
      q += "&since=" + since;
    }
    return new TestSocket(URI.create("ws://127.0.0.1:" + port + "/ws/sync?" + q), token);
  }

  /** The next frame that is not a heartbeat, within 10 s. */
  public JsonNode next() throws InterruptedException {
    while (true) {
      JsonNode f = frames.poll(10, TimeUnit.SECONDS);
      if (f == null) {
        throw new AssertionError("no frame within 10 s");
      }
      if (!"heartbeat".equals(f.path("type").asText())) {
        return f;
      }
    }
  }

  /** The close code the server sent, within 10 s. */
  int closeCode() throws Exception {
    return closed.get(10, TimeUnit.SECONDS)[0];
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          frames.add(Json.MAPPER.readTree(partial.toString()));
        } catch (Exception e) {
          throw new AssertionError("a frame that is not JSON: " + partial, e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closeReason = reason;
      closed.complete(new int[] {statusCode});
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
