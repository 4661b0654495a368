package dev.olympus.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON-over-HTTP client for the tests, on real loopback sockets. */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String base;
  private final String token;

  Api(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  record Response(int status, JsonNode body) {}

  Response send(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(
                body instanceof String s ? s : JSON.writeValueAsString(body));
    HttpResponse<String> r =
        HTTP.send(b.method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    return new Response(r.statusCode(), json);
  }

  JsonNode expect(int status, String method, String path, Object body)
      throws IOException, InterruptedException {
    Response r = send(method, path, body);
    if (r.status() != status) {
      throw new AssertionError(
          method
              + " "
              + path
              + " answered "
              + r.status()
              + " (wanted "
              + status
              + "): "
              + r.body());
    }
    return r.body();
  }

  /** Whether the service answers its health check. */
  boolean healthy() {
    try {
      return send("GET", "/api/health", null).status() == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
