package dev.olympus.edge.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.core.iot.Alert;
import dev.olympus.edge.iot.TelemetryStore.OpenAlert;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings acknowledgements and resolutions made in the cloud (a manager on the dashboard) to the
 * hub's engine, so an alert acknowledged there stops escalating here. It asks the cloud only about
 * the alerts still open in the hub's log ({@code GET /api/v1/iot/alerts?status=all&ids=…} with the
 * edge's token, which the cloud scopes to this location), and applies only what moved forward
 * there: a status never goes back, and an alert of another location is never touched. Applying goes
 * through {@link IotHub#acknowledge} / {@link IotHub#resolve}, which store the change and mark the
 * alert for the cloud again; the cloud keeps its own who and when.
 */
final class CloudAlertClosures {
  private static final Logger log = LoggerFactory.getLogger(CloudAlertClosures.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Ids per request: the cloud answers at most this many. */
  static final int IDS_PER_REQUEST = 100;

  /** Who acts when the cloud does not say (an alert closed by the cloud's own rules). */
  static final String CLOUD = "cloud";

  /** Acknowledges and resolves on the hub; {@link IotHub} in production. */
  interface Closer {
    Optional<Alert> acknowledge(String alertId, String by);

    Optional<Alert> resolve(String alertId, String by);
  }

  private final TelemetryStore store;
  private final Closer closer;
  private final URI endpoint;
  private final String token;
  private final HttpClient http;

  CloudAlertClosures(
      TelemetryStore store, Closer closer, URI cloudUrl, String token, HttpClient http) {
    this.store = store;
    this.closer = closer;
    this.endpoint = cloudUrl.resolve("/api/v1/iot/alerts");
    this.token = token;
    this.http = http;
  }

  /**
   * What one pull did: requests sent to the cloud, alerts applied, and whether every answer came.
   */
  record Pulled(int requests, int applied, boolean answered) {}

  /**
   * Applies what the cloud acknowledged or resolved of the hub's open alerts. Sends nothing when
   * nothing is open.
   */
  Pulled pull() {
    List<OpenAlert> open = store.openAlerts();
    int requests = 0;
    int applied = 0;
    for (int i = 0; i < open.size(); i += IDS_PER_REQUEST) {
      List<OpenAlert> chunk = open.subList(i, Math.min(open.size(), i + IDS_PER_REQUEST));
      requests++;
      JsonNode answer = fetch(chunk);
      if (answer == null) {
        return new Pulled(requests, applied, false);
      }
      Map<String, OpenAlert> byId = new HashMap<>();
      chunk.forEach(a -> byId.put(a.alertId(), a));
      for (JsonNode inCloud : answer.path("alerts")) {
        OpenAlert here = byId.get(inCloud.path("alert_id").asText());
        if (here != null && apply(here, inCloud)) {
          applied++;
        }
      }
    }
    return new Pulled(requests, applied, true);
  }

  private boolean apply(OpenAlert here, JsonNode inCloud) {
    if (!here.locationId().equals(inCloud.path("location_id").asText())) {
      return false;
    }
    int there = rank(inCloud.path("status").asText());
    if (there <= rank(here.status())) {
      return false;
    }
    String by = inCloud.path("acknowledged_by").asText(null);
    if (by == null || by.isBlank()) {
      by = CLOUD;
    }
    boolean resolve = there == 2;
    Optional<Alert> done;
    try {
      done = resolve ? closer.resolve(here.alertId(), by) : closer.acknowledge(here.alertId(), by);
    } catch (IllegalStateException e) {
      // the hub is overloaded or stopping: the next pass asks again
      log.warn("IoT alert {} not closed from the cloud yet: {}", here.alertId(), e.getMessage());
      return false;
    }
    if (done.isEmpty()) {
      log.warn(
          "IoT alert {} was {} in the cloud, but the hub's engine does not know it",
          here.alertId(),
          resolve ? "resolved" : "acknowledged");
      return false;
    }
    log.info(
        "IoT alert {} {} in the cloud by {}",
        here.alertId(),
        resolve ? "resolved" : "acknowledged",
        by);
    return true;
  }

  /** active 0, acknowledged 1, resolved 2; anything else -1 (never applied). */
  private static int rank(String status) {
    return switch (status) {
      case "active" -> 0;
      case "acknowledged" -> 1;
      case "resolved" -> 2;
      default -> -1;
    };
  }

  /** The cloud's view of these alerts, or null if it could not be reached or answered badly. */
  private JsonNode fetch(List<OpenAlert> chunk) {
    StringBuilder ids = new StringBuilder();
    for (OpenAlert a : chunk) {
      if (!ids.isEmpty()) {
        ids.append(',');
      }
      ids.append(a.alertId());
    }
    URI uri =
        URI.create(
            endpoint
                + "?status=all&limit="
                + IDS_PER_REQUEST
                + "&ids="
                + URLEncoder.encode(ids.toString(), StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        log.warn(
            "the cloud answered {} when asked about {} open IoT alert(s)",
            r.statusCode(),
            chunk.size());
        return null;
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
