package dev.olympus.edge.iot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.core.iot.Alert;
import dev.olympus.edge.iot.TelemetryStore.Reading;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward of the hub's readings to the cloud ({@code POST /api/v1/iot/telemetry/batches},
 * gzip). A batch is formed once, in the store, and sent under the same id until the cloud
 * acknowledges it, so a retry after a timeout or a restart is answered as a duplicate, never stored
 * twice. The newest minute goes first (what is happening now matters most after an outage), then
 * the backlog, oldest first, with the readings' own timestamps. A batch the cloud refuses for good
 * (400, 413, 422) is parked and logged rather than retried forever. Alerts whose state the cloud
 * does not have yet travel in alert-only batches, and acknowledgements and resolutions made in the
 * cloud come back to the hub in the same pass ({@link #closingAlertsOn}).
 */
public final class TelemetryForwarder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TelemetryForwarder.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int BATCH_SIZE = 5_000;
  private static final long LIVE_MILLIS = 60_000;

  private final TelemetryStore store;
  private final URI endpoint;
  private final String token;
  private final String edgeId;
  private final Clock clock;
  private final HttpClient http;
  private final Duration interval;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Duration backoff = Duration.ZERO;
  private volatile CloudAlertClosures closures;

  /**
   * What one pass did.
   *
   * @param acknowledged batches the cloud acknowledged
   * @param reachable whether the cloud could be reached
   * @param closedInCloud alerts acknowledged or resolved in the cloud, now applied to the hub
   * @param alertQueries requests asking the cloud about the hub's open alerts (none when none is
   *     open)
   */
  public record Pass(int acknowledged, boolean reachable, int closedInCloud, int alertQueries) {}

  public TelemetryForwarder(
      TelemetryStore store,
      URI cloudUrl,
      String token,
      String edgeId,
      Clock clock,
      Duration interval,
      Duration requestTimeout) {
    this.store = store;
    this.endpoint = cloudUrl.resolve("/api/v1/iot/telemetry/batches");
    this.token = token;
    this.edgeId = edgeId;
    this.clock = clock;
    this.interval = interval;
    this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    this.thread = Thread.ofPlatform().name("iot-forwarder").daemon().unstarted(this::loop);
  }

  /**
   * Each pass also brings the acknowledgements and resolutions made in the cloud of the hub's open
   * alerts to {@code hub} (see {@link CloudAlertClosures}). Call before {@link #start}.
   */
  public TelemetryForwarder closingAlertsOn(IotHub hub) {
    this.closures =
        new CloudAlertClosures(
            store,
            new CloudAlertClosures.Closer() {
              @Override
              public Optional<Alert> acknowledge(String alertId, String by) {
                return hub.acknowledge(alertId, by);
              }

              @Override
              public Optional<Alert> resolve(String alertId, String by) {
                return hub.resolve(alertId, by);
              }
            },
            endpoint,
            token,
            http);
    return this;
  }

  public TelemetryForwarder start() {
    thread.start();
    return this;
  }

  private void loop() {
    while (running) {
      try {
        Pass p = forwardAll();
        if (p.reachable()) {
          backoff = Duration.ZERO;
          Thread.sleep(interval.toMillis());
        } else {
          long next = Math.min(60_000, Math.max(1_000, backoff.toMillis() * 2));
          backoff = Duration.ofMillis(next);
          Thread.sleep(next / 2 + ThreadLocalRandom.current().nextLong(next / 2 + 1));
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("IoT forwarding failed: {}", e.toString());
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  /** Sends every pending batch and forms new ones until nothing is left or the cloud fails. */
  public synchronized Pass forwardAll() {
    int acknowledged = 0;
    while (running) {
      Optional<String> batch = pendingBatch().or(this::formBatch);
      if (batch.isEmpty()) {
        break;
      }
      Boolean sent = send(batch.get());
      if (sent == null) {
        return new Pass(acknowledged, false, 0, 0);
      }
      acknowledged += sent ? 1 : 0;
    }
    Boolean alerts = sendAlerts();
    if (alerts == null) {
      return new Pass(acknowledged, false, 0, 0);
    }
    CloudAlertClosures c = closures;
    if (c == null || !running) {
      return new Pass(acknowledged, true, 0, 0);
    }
    // After sending: the cloud has the hub's latest, and answers about the same episodes.
    CloudAlertClosures.Pulled pulled = c.pull();
    if (pulled.applied() > 0) {
      // The alerts just closed here go back at once (the cloud keeps its own who and when).
      alerts = sendAlerts();
    }
    return new Pass(
        acknowledged, alerts != null && pulled.answered(), pulled.applied(), pulled.requests());
  }

  private Optional<String> pendingBatch() {
    return store
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT batch_id FROM forward_batches WHERE status = 'pending'"
                            + " ORDER BY created_at, first_seq LIMIT 1")
                    .mapTo(String.class)
                    .findOne());
  }

  /** Puts the next readings in a batch of their own: the newest minute first, then the oldest. */
  private Optional<String> formBatch() {
    long now = clock.millis();
    return store
        .jdbi()
        .inTransaction(
            h -> {
              List<Long> seqs =
                  h.createQuery(
                          "SELECT seq FROM readings WHERE batch_id IS NULL AND ts >= :live"
                              + " ORDER BY seq LIMIT :n")
                      .bind("live", now - LIVE_MILLIS)
                      .bind("n", BATCH_SIZE)
                      .mapTo(Long.class)
                      .list();
              if (seqs.isEmpty()) {
                seqs =
                    h.createQuery(
                            "SELECT seq FROM readings WHERE batch_id IS NULL ORDER BY seq LIMIT :n")
                        .bind("n", BATCH_SIZE)
                        .mapTo(Long.class)
                        .list();
              }
              if (seqs.isEmpty()) {
                return Optional.<String>empty();
              }
              String id = edgeId + ":" + String.format("%012d", seqs.getFirst());
              h.createUpdate(
                      "INSERT INTO forward_batches (batch_id, first_seq, last_seq, created_at,"
                          + " readings) VALUES (:id, :first, :last, :now, :n)")
                  .bind("id", id)
                  .bind("first", seqs.getFirst())
                  .bind("last", seqs.getLast())
                  .bind("now", now)
                  .bind("n", seqs.size())
                  .execute();
              h.createUpdate("UPDATE readings SET batch_id = :id WHERE seq IN (<seqs>)")
                  .bind("id", id)
                  .bindList("seqs", seqs)
                  .execute();
              return Optional.of(id);
            });
  }

  /** True: acknowledged; false: parked; null: the cloud could not be reached (retry later). */
  private Boolean send(String batchId) {
    List<Reading> readings = store.jdbi().withHandle(h -> store.batchReadings(h, batchId));
    List<Map<String, Object>> events = new ArrayList<>(readings.size());
    for (Reading r : readings) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("device_id", r.deviceId());
      e.put("device_type", r.deviceType());
      e.put("ts", r.ts());
      if (r.value() != null) {
        e.put("value", r.value());
        e.put("unit", r.unit());
      }
      if (r.open() != null) {
        e.put("open", r.open());
      }
      if (r.state() != null) {
        e.put("state", r.state());
      }
      if (r.attributes() != null) {
        try {
          e.put("attributes", JSON.readTree(r.attributes()));
        } catch (IOException bad) {
          // stored from a payload the hub parsed: cannot be malformed; leave it out if it is
        }
      }
      events.add(e);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("batch_id", batchId);
    body.put("events", events);
    HttpResponse<String> answer = post(body);
    if (answer == null) {
      failed(batchId, "cloud unreachable");
      return null;
    }
    int status = answer.statusCode();
    if (status == 200) {
      store
          .jdbi()
          .useHandle(
              h ->
                  h.createUpdate(
                          "UPDATE forward_batches SET status = 'acked', acked_at = :now,"
                              + " attempts = attempts + 1 WHERE batch_id = :id")
                      .bind("now", clock.millis())
                      .bind("id", batchId)
                      .execute());
      return true;
    }
    if (status == 400 || status == 413 || status == 422) {
      log.error(
          "IoT batch {} ({} readings) refused by the cloud with {}: parked. {}",
          batchId,
          readings.size(),
          status,
          abbreviate(answer.body()));
      store
          .jdbi()
          .useHandle(
              h ->
                  h.createUpdate(
                          "UPDATE forward_batches SET status = 'parked', attempts = attempts + 1,"
                              + " last_error = :e WHERE batch_id = :id")
                      .bind("e", status + " " + abbreviate(answer.body()))
                      .bind("id", batchId)
                      .execute());
      return false;
    }
    failed(batchId, status + " " + abbreviate(answer.body()));
    return null;
  }

  private void failed(String batchId, String why) {
    store
        .jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE forward_batches SET attempts = attempts + 1, last_error = :e"
                            + " WHERE batch_id = :id")
                    .bind("e", why)
                    .bind("id", batchId)
                    .execute());
  }

  /**
   * Alerts the cloud has not seen in their latest state; null if the cloud could not be reached.
   */
  private Boolean sendAlerts() {
    record Pending(String id, long updatedAt, String json) {}
    List<Pending> pending =
        store
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT alert_id, updated_at, json FROM alerts WHERE forwarded = 0"
                                + " ORDER BY updated_at LIMIT 500")
                        .map(
                            (rs, ctx) ->
                                new Pending(rs.getString(1), rs.getLong(2), rs.getString(3)))
                        .list());
    if (pending.isEmpty()) {
      return true;
    }
    List<Object> alerts = new ArrayList<>();
    long newest = 0;
    for (Pending p : pending) {
      try {
        alerts.add(JSON.readTree(p.json()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      newest = Math.max(newest, p.updatedAt());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    // The same alerts in the same states make the same id: a retry is a duplicate, a change is new.
    body.put("batch_id", edgeId + ":alerts:" + newest + ":" + pending.size());
    body.put("events", List.of());
    body.put("alerts", alerts);
    HttpResponse<String> answer = post(body);
    if (answer == null || answer.statusCode() >= 500) {
      return null;
    }
    if (answer.statusCode() != 200) {
      log.error(
          "IoT alerts refused by the cloud with {}: {}",
          answer.statusCode(),
          abbreviate(answer.body()));
    }
    store
        .jdbi()
        .useTransaction(
            (Handle h) -> {
              for (Pending p : pending) {
                h.createUpdate(
                        "UPDATE alerts SET forwarded = 1 WHERE alert_id = :id AND updated_at = :at")
                    .bind("id", p.id())
                    .bind("at", p.updatedAt())
                    .execute();
              }
            });
    return answer.statusCode() == 200;
  }

  private HttpResponse<String> post(Map<String, Object> body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
        JSON.writeValue(gz, body);
      }
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .header("Content-Encoding", "gzip")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray()))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() <= 300 ? s : s.substring(0, 297) + "...";
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
