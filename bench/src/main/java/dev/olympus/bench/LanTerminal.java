package dev.olympus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A POS terminal on the edge's LAN API: its device token on every request and, as the SDK does, an
 * {@code Idempotency-Key} on every write.
 */
final class LanTerminal {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final String token;

  LanTerminal(HttpClient http, String base, String token) {
    this.http = http;
    this.base = base;
    this.token = token;
  }

  /** {@code POST path} with a JSON body, answered asynchronously (any status). */
  CompletableFuture<HttpResponse<String>> post(String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET path}; a non-2xx answer is an exception. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** The body of {@code POST /api/v1/orders/{id}/payments} for {@code amount} in that tender. */
  static String payment(String tender, String amount) {
    return "card".equals(tender)
        ? "{\"tender\":\"card\",\"amount\":\"" + amount + "\",\"payment_method\":\"pm_card_visa\"}"
        : "{\"tender\":\"cash\",\"amount\":\"" + amount + "\"}";
  }

  /** The JSON of a 201 answer; anything else is an exception naming the status and body. */
  static JsonNode created(Http1Wire.Response r, String what) {
    return created(r.status(), r.body(), what);
  }

  /** The JSON of a 201 answer; anything else is an exception naming the status and body. */
  static JsonNode created(HttpResponse<String> r, String what) {
    return created(r.statusCode(), r.body(), what);
  }

  private static JsonNode created(int status, String body, String what) {
    if (status != 201) {
      throw new IllegalStateException(what + " answered " + status + " instead of 201: " + body);
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(what + " answered 201 with a body that is not JSON", e);
    }
  }
}
