package dev.olympus.edge;

import dev.olympus.core.sync.RecordState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/** Shared set-up for edge tests: an edge whose cloud is unreachable, and a small HTTP client. */
public final class TestEdges {
  /** Nothing listens on port 1 of loopback: connections are refused at once. */
  public static final URI DEAD_CLOUD = URI.create("http://127.0.0.1:1");

  public static final String API_KEY = "oly_edge-test-key-0123456789abcdefghijklmnopqrstu";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private TestEdges() {}

  /** An edge on a random loopback port, syncing only when told. */
  public static EdgeSettings settings(Path dataDir, URI cloud, String apiKey, String location) {
    return EdgeSettings.of(dataDir, cloud, apiKey, location)
        .withHost("127.0.0.1")
        .withPort(0)
        .withBackgroundSync(false)
        .withRandom(new Random(42))
        .withRequestTimeout(Duration.ofSeconds(30));
  }

  public static EdgeServer offlineEdge(Path dataDir) {
    return EdgeServer.start(settings(dataDir, DEAD_CLOUD, API_KEY, "loc-1"));
  }

  /** A {@code _devices} record as the cloud publishes it. */
  public static RecordState device(String id, String type, String token, boolean revoked) {
    return new RecordState(
        "_devices",
        id,
        Map.of(
            "device_id",
            id,
            "device_type",
            type,
            "token_sha256",
            dev.olympus.edge.store.DeviceDirectory.sha256(token),
            "revoked",
            revoked),
        1,
        "cloud",
        Map.of(),
        false);
  }

  public static HttpResponse<String> send(
      String method, String url, String token, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
