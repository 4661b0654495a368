package dev.olympus.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Real HTTP calls to a running cloud on loopback. */
public final class HttpClientSupport {
  /** A response: status, the body parsed as JSON (null when not JSON), and the raw body. */
  public record Resp(int status, JsonNode json, String body, HttpResponse<String> raw) {
    public String error() {
      return json == null || json.get("error") == null ? null : json.get("error").asText();
    }

    public String field() {
      return json == null || json.get("field") == null ? null : json.get("field").asText();
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public HttpClientSupport(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public Resp call(String method, String path, String token, String body) {
    return call(method, path, token, body, Map.of());
  }

  public Resp call(
      String method, String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      String ct = r.headers().firstValue("Content-Type").orElse("");
      if (ct.startsWith("application/json") && !r.body().isEmpty()) {
        json = Json.readTree(r.body());
      }
      return new Resp(r.statusCode(), json, r.body(), r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
