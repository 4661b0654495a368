package dev.olympus.edge.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.config.DeltaSyncPayload;
import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.syncer.CloudException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The edge's side of seed 003's config sync API, over java.net.http with the edge's device token:
 * full snapshot, delta since a version, and the service-host heartbeat. A cloud that cannot be
 * reached or answers 5xx throws {@link CloudException} (worth retrying); an answer that is not what
 * the protocol promises throws {@link InvalidResponseException} (retrying at once would get the
 * same answer).
 */
final class ConfigClient {
  private final HttpClient http;
  private final URI base;
  private final String authorization;
  private final Duration timeout;

  ConfigClient(URI cloudUrl, String apiKey, Duration timeout) {
    String s = cloudUrl.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.authorization = "Bearer " + apiKey;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** What the edge reports every heartbeat (seed 003); a measure the box cannot take is null. */
  record Heartbeat(
      @JsonProperty("cpu_percent") Double cpuPercent,
      @JsonProperty("memory_percent") Double memoryPercent,
      @JsonProperty("disk_percent") Double diskPercent,
      @JsonProperty("connection_mode") String connectionMode,
      @JsonProperty("pending_transactions") long pendingTransactions,
      @JsonProperty("config_version") long configVersion) {}

  /**
   * The cloud's answer to a heartbeat.
   *
   * @param configVersion the property's latest config version
   * @param action null, {@code full_sync} or {@code delta_sync}
   */
  record HeartbeatAnswer(long configVersion, String action) {}

  /** The property's whole config now. */
  FullSyncPayload full() throws CloudException, InvalidResponseException {
    byte[] body = send(get("/api/sync/config/full"));
    try {
      return Json.MAPPER.readValue(body, FullSyncPayload.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidResponseException(
          "the cloud sent an unreadable full config payload: " + message(e), e);
    }
  }

  /**
   * The changes after {@code since}, or the cloud's answer that a full sync is required.
   *
   * @throws CloudException with status 409 when {@code since} is ahead of the cloud (a version
   *     conflict: the cache must be rebuilt)
   */
  DeltaSyncPayload delta(long since) throws CloudException, InvalidResponseException {
    byte[] body = send(get("/api/sync/config/delta?since=" + since));
    DeltaSyncPayload d;
    try {
      d = Json.MAPPER.readValue(body, DeltaSyncPayload.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidResponseException(
          "the cloud sent an unreadable config delta: " + message(e), e);
    }
    // A delta from another version than asked is the applier's to refuse (and a full sync's to
    // repair); one that goes backwards is nonsense.
    if (!d.fullSyncRequired() && d.toVersion() < d.fromVersion()) {
      throw new InvalidResponseException(
          "the cloud answered a delta since "
              + since
              + " that goes back from version "
              + d.fromVersion()
              + " to "
              + d.toVersion(),
          null);
    }
    return d;
  }

  HeartbeatAnswer heartbeat(String deviceId, Heartbeat beat)
      throws CloudException, InvalidResponseException {
    HttpRequest request =
        HttpRequest.newBuilder(
                base.resolve(
                    "/api/service-hosts/"
                        + URLEncoder.encode(deviceId, StandardCharsets.UTF_8).replace("+", "%20")
                        + "/heartbeat"))
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(beat)))
            .build();
    byte[] body = send(request);
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InvalidResponseException(
          "the cloud sent an unreadable heartbeat answer: " + message(e), e);
    }
    if (node == null || !node.path("config_version").canConvertToLong()) {
      throw new InvalidResponseException(
          "the cloud's heartbeat answer has no config_version: " + abbreviate(node), null);
    }
    JsonNode action = node.get("action");
    return new HeartbeatAnswer(
        node.get("config_version").asLong(),
        action == null || action.isNull() ? null : action.asText());
  }

  private HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(timeout)
        .header("Authorization", authorization)
        .GET()
        .build();
  }

  private byte[] send(HttpRequest request) throws CloudException, InvalidResponseException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      String m = e.getMessage();
      throw CloudException.unreachable(
          "cannot reach the cloud at "
              + base
              + " ("
              + e.getClass().getSimpleName()
              + (m == null ? "" : ": " + m)
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CloudException.unreachable("interrupted while calling " + request.uri(), e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    String what =
        request.method()
            + " "
            + request.uri().getPath()
            + " answered "
            + status
            + errorMessage(response.body());
    // A 409 is the protocol's version conflict and 5xx an outage: both are the caller's to act
    // on. Any other 4xx means this edge asks wrongly (token, device id, an older cloud).
    if (status == 409 || status >= 500) {
      throw CloudException.status(what, status);
    }
    throw new InvalidResponseException(
        what
            + (status == 401 || status == 403
                ? " (check the api key: ./olympus edge config set --api-key TOKEN)"
                : ""),
        null,
        status);
  }

  private static String errorMessage(byte[] body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node != null && node.hasNonNull("message")) {
        return ": " + node.get("message").asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: the status says enough
    }
    return "";
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }

  private static String abbreviate(JsonNode node) {
    String s = String.valueOf(node);
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }
}
