package dev.olympus.edge.syncer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.core.sync.PushResponse;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.outbox.OutboxEntry;
import dev.olympus.edge.store.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The edge's side of the sync protocol ({@code docs/protocol.md}), over java.net.http. */
public final class CloudClient {
  private final HttpClient http;
  private final URI base;
  private final String authorization;
  private final Duration timeout;

  /**
   * @param cloudUrl the cloud's base URL, e.g. {@code https://cloud.example.com}
   * @param apiKey the edge's device token
   * @param timeout how long one request may take (long polls add their own wait)
   */
  public CloudClient(URI cloudUrl, String apiKey, Duration timeout) {
    String s = cloudUrl.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.authorization = "Bearer " + apiKey;
    this.timeout = timeout;
    // HTTP/1.1: no h2c upgrade dance on every new connection to a plain-HTTP cloud.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** The cloud's answer to a long poll. */
  public record Notification(
      @JsonProperty("latest_seq") long latestSeq,
      @JsonProperty("trigger") boolean trigger,
      @JsonProperty("priority") String priority) {}

  /** What the edge tells the cloud after each cycle. */
  public record Report(
      @JsonProperty("pending_count") long pendingCount,
      @JsonProperty("oldest_pending_age_ms") long oldestPendingAgeMs,
      @JsonProperty("last_cycle_ms") long lastCycleMs,
      @JsonProperty("consecutive_failures") long consecutiveFailures) {}

  public SyncConfig fetchConfig() throws CloudException {
    JsonNode node = readTree(send(get("/api/v1/sync/config", timeout)));
    JsonNode config = node.get("sync_config");
    if (config == null) {
      throw CloudException.status("the cloud's /api/v1/sync/config has no sync_config", 502);
    }
    try {
      return Json.MAPPER.treeToValue(config, SyncConfig.class);
    } catch (IOException | IllegalArgumentException e) {
      throw CloudException.status("the cloud sent an unreadable sync_config: " + e, 502);
    }
  }

  /** Pushes a batch; the answers come in the order of the batch. */
  public List<OpResult> push(List<OutboxEntry> batch, String nodeId) throws CloudException {
    byte[] body = encodePush(batch, nodeId);
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/v1/sync/push"))
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    byte[] answer = send(request);
    try {
      return Json.MAPPER.readValue(answer, PushResponse.class).results();
    } catch (IOException | IllegalArgumentException e) {
      throw CloudException.status("the cloud sent an unreadable push response: " + e, 502);
    }
  }

  /**
   * This edge's own writes, for the cloud to leave out of a pull: records of {@code origin} under
   * the seqs in {@code ranges} ({from, to} pairs, as the pushes of this cycle were answered).
   */
  public record OwnWrites(String origin, List<long[]> ranges) {
    public OwnWrites {
      ranges = List.copyOf(ranges);
    }

    String query() {
      StringBuilder q =
          new StringBuilder("&exclude_origin=")
              .append(URLEncoder.encode(origin, StandardCharsets.UTF_8))
              .append("&exclude_seqs=");
      for (int i = 0; i < ranges.size(); i++) {
        q.append(i == 0 ? "" : ",").append(ranges.get(i)[0]).append('-').append(ranges.get(i)[1]);
      }
      return q.toString();
    }
  }

  /** One page of the change feed after {@code since}. */
  public PullResponse pull(long since, int limit) throws CloudException {
    return pull(since, limit, null);
  }

  /** One page of the change feed after {@code since}, without {@code own} writes (null: none). */
  public PullResponse pull(long since, int limit, OwnWrites own) throws CloudException {
    String query = "/api/v1/sync/pull?since=" + since + "&limit=" + limit;
    byte[] answer = send(get(own == null ? query : query + own.query(), timeout));
    try {
      return Json.MAPPER.readValue(answer, PullResponse.class);
    } catch (IOException | IllegalArgumentException e) {
      throw CloudException.status("the cloud sent an unreadable pull response: " + e, 502);
    }
  }

  /** Waits (long poll) for a change after {@code afterSeq} or a triggered sync. */
  public Notification awaitNotification(long afterSeq, Duration wait) throws CloudException {
    byte[] answer =
        send(
            get(
                "/api/v1/sync/notifications?after_seq="
                    + afterSeq
                    + "&timeout_ms="
                    + wait.toMillis(),
                timeout.plus(wait)));
    try {
      return Json.MAPPER.readValue(answer, Notification.class);
    } catch (IOException e) {
      throw CloudException.status("the cloud sent an unreadable notification: " + e, 502);
    }
  }

  public void report(Report report) throws CloudException {
    send(
        HttpRequest.newBuilder(base.resolve("/api/v1/sync/report"))
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(report)))
            .build());
  }

  /** Writes the push body directly: the stored op data goes out as raw JSON, never re-encoded. */
  static byte[] encodePush(List<OutboxEntry> batch, String nodeId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + batch.size() * 1024);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("ops");
      for (OutboxEntry e : batch) {
        g.writeStartObject();
        g.writeStringField("op_id", e.opId());
        g.writeStringField("collection", e.collection());
        g.writeStringField("id", e.recordId());
        g.writeStringField("action", e.action().wireName());
        g.writeFieldName("data");
        g.writeRawValue(e.dataJson());
        g.writeNumberField("base_version", e.baseVersion());
        if (e.baseOrigin() != null) {
          g.writeStringField("base_origin", e.baseOrigin());
        }
        g.writeNumberField("hlc", e.hlc());
        g.writeStringField("node_id", nodeId);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a push body in memory", e);
    }
    return out.toByteArray();
  }

  private HttpRequest get(String pathAndQuery, Duration requestTimeout) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(requestTimeout)
        .header("Authorization", authorization)
        .GET()
        .build();
  }

  private byte[] send(HttpRequest request) throws CloudException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw CloudException.unreachable(
          "cannot reach the cloud at " + base + " (" + describe(e) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CloudException.unreachable("interrupted while calling " + request.uri(), e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    throw CloudException.status(
        request.method()
            + " "
            + request.uri().getPath()
            + " answered "
            + status
            + errorMessage(response.body())
            + (status == 401 || status == 403
                ? " (check the api key: ./olympus edge config set --api-key TOKEN)"
                : ""),
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

  private static JsonNode readTree(byte[] body) throws CloudException {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw CloudException.status("the cloud sent unreadable JSON: " + e.getMessage(), 502);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
