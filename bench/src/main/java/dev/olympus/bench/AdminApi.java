package dev.olympus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The cloud's JSON API as the benchmarks drive it: one token, failures as exceptions. */
final class AdminApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final String token;

  AdminApi(HttpClient http, String base, String token) {
    this.http = http;
    this.base = base;
    this.token = token;
  }

  /** Sends a JSON body (or none) and returns the JSON answer; a non-2xx answer is an exception. */
  JsonNode send(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
  }

  /** Registers a device and returns its token. */
  String registerDevice(String tenant, String location, String deviceId, String type)
      throws IOException, InterruptedException {
    return send(
            "POST",
            "/api/v1/admin/tenants/" + tenant + "/locations/" + location + "/devices",
            java.util.Map.of("device_id", deviceId, "device_type", type))
        .get("token")
        .asText();
  }
}
