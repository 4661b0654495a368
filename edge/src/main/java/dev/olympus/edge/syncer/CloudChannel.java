package dev.olympus.edge.syncer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's WebSocket to the cloud's {@code /ws/sync}, as its {@code olympus_edge} device: every
 * change frame of another writer and every {@code sync_trigger} asks the syncer for a cycle, so
 * cloud changes reach the edge in milliseconds instead of at the next interval. It carries no data
 * itself: the cycle's pull does, so a lost frame costs latency, never data. Reconnects with
 * backoff; while it is down the syncer's long poll takes over.
 */
public final class CloudChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CloudChannel.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long DEFAULT_HEARTBEAT_MS = 30_000;

  private final URI cloudUrl;
  private final String deviceId;
  private final String locationId;
  private final LongSupplier since;
  private final Runnable onNotice;
  private final ReconnectingSocket socket;
  private final AtomicLong notices = new AtomicLong();
  private volatile String cloudStream;

  /**
   * @param cloudUrl the cloud's base URL ({@code http(s)://…}; the socket uses {@code ws(s)})
   * @param apiKey the edge's device token
   * @param deviceId the edge's device id in the cloud (its node id)
   * @param locationId the edge's location
   * @param since the last seq the edge pulled: the cloud replays from there
   * @param onNotice what to do on a change or trigger: {@link Syncer#requestSync()}
   * @param backoff the wait between reconnect attempts
   */
  public CloudChannel(
      URI cloudUrl,
      String apiKey,
      String deviceId,
      String locationId,
      LongSupplier since,
      Runnable onNotice,
      Backoff backoff) {
    this.cloudUrl = cloudUrl;
    this.deviceId = deviceId;
    this.locationId = locationId;
    this.since = since;
    this.onNotice = onNotice;
    this.socket =
        new ReconnectingSocket(
            "real-time channel to the cloud",
            log,
            "edge-cloud-channel",
            this::socketUri,
            "Bearer " + apiKey,
            backoff,
            ReconnectingSocket.Ping.TEXT_FRAME,
            new Frames());
  }

  /** Connects in the background, and keeps reconnecting until closed. */
  public void start() {
    socket.start();
  }

  /** Whether the socket is up (welcomed by the cloud). */
  public boolean connected() {
    return socket.up();
  }

  /**
   * The cloud's stream this edge pulls ({@code cloud:<tenant>}), as the cloud's last welcome named
   * it; empty until the cloud has welcomed this edge once since it started.
   */
  public java.util.Optional<String> cloudStream() {
    return java.util.Optional.ofNullable(cloudStream);
  }

  /** Changes and triggers received so far that asked for a cycle. */
  public long notices() {
    return notices.get();
  }

  private URI socketUri() {
    return ReconnectingSocket.socketUri(
        cloudUrl,
        "/ws/sync?device_id="
            + enc(deviceId)
            + "&restaurant_id="
            + enc(locationId)
            + "&since="
            + Math.max(0, since.getAsLong()));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private void onFrame(long attempt, String text) {
    JsonNode f;
    try {
      f = MAPPER.readTree(text);
    } catch (Exception e) {
      log.debug("the cloud sent a frame that is not JSON; ignored");
      return;
    }
    String type = f.path("type").asText("");
    switch (type) {
      case "welcome" -> welcomed(attempt, f);
      case "heartbeat", "pong", "ping", "error" -> {
        if (type.equals("error")) {
          log.warn("the cloud answered a frame with {}", f);
        }
      }
      case "sync_trigger" -> notice();
      default -> {
        // An echo of this edge's own push needs no cycle: it already holds that record.
        if (f.has("seq") && !deviceId.equals(f.path("origin").asText(null))) {
          notice();
        }
      }
    }
  }

  /**
   * The cloud's welcome, not the socket's opening, makes the channel up: it names the heartbeat.
   */
  private void welcomed(long attempt, JsonNode f) {
    double seconds = f.path("heartbeat_seconds").asDouble(DEFAULT_HEARTBEAT_MS / 1000.0);
    Duration heartbeat = Duration.ofMillis(Math.max(10, (long) (seconds * 1000)));
    String stream = f.path("stream").asText("");
    if (!stream.isEmpty()) {
      cloudStream = stream;
    }
    if (!socket.markUp(attempt, heartbeat, heartbeat.multipliedBy(2))) {
      return;
    }
    log.info("real-time channel to {} is up", cloudUrl);
    notice(); // whatever changed while the socket was down
  }

  private void notice() {
    notices.incrementAndGet();
    onNotice.run();
  }

  @Override
  public void close() {
    socket.close();
  }

  private final class Frames implements ReconnectingSocket.Handler {
    @Override
    public void onText(long attempt, String text) {
      onFrame(attempt, text);
    }

    @Override
    public void onClose(int statusCode, String reason) {
      if (statusCode == 4401 || statusCode == 4403) {
        log.warn(
            "the cloud refused the real-time channel ({} {}): check the edge's token and device"
                + " id; the long poll carries on",
            statusCode,
            reason);
      }
    }
  }
}
