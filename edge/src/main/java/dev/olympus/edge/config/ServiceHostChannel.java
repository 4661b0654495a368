package dev.olympus.edge.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.syncer.Backoff;
import dev.olympus.edge.syncer.ReconnectingSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's WebSocket to the cloud's {@code /ws/service-host} (seed 003's push notifications):
 * {@code config:updated} and {@code config:urgent} ask for a delta sync at once, {@code
 * sync:required} for a full one. Like {@link dev.olympus.edge.syncer.CloudChannel} it carries no
 * config itself, so a lost frame costs latency (the heartbeat catches up), never data. Pings every
 * {@code pingInterval} and reconnects with backoff when the cloud goes silent or the socket drops.
 */
public final class ServiceHostChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceHostChannel.class);

  /** What the channel tells the config syncer. */
  public interface Listener {
    /** {@code config:updated} or {@code config:urgent}: the cloud is at {@code version} now. */
    void onConfigChanged(long version, boolean urgent);

    /** {@code sync:required}: the cloud wants a full sync. */
    void onFullSyncRequired(String reason);
  }

  private final URI uri;
  private final Listener listener;
  private final Duration pingInterval;
  private final ReconnectingSocket socket;
  private final AtomicLong notices = new AtomicLong();

  /**
   * @param cloudUrl the cloud's base URL ({@code http(s)://…}; the socket uses {@code ws(s)})
   * @param apiKey the edge's device token
   * @param deviceId the edge's device id in the cloud
   * @param pingInterval how often to ping; twice that without a frame or pong means a dead link
   */
  public ServiceHostChannel(
      URI cloudUrl,
      String apiKey,
      String deviceId,
      Listener listener,
      Backoff backoff,
      Duration pingInterval) {
    this.uri = socketUri(cloudUrl, deviceId);
    this.listener = listener;
    this.pingInterval = pingInterval;
    this.socket =
        new ReconnectingSocket(
            "service-host channel",
            log,
            "edge-service-host-channel",
            () -> uri,
            "Bearer " + apiKey,
            backoff,
            ReconnectingSocket.Ping.CONTROL_FRAME,
            new Frames());
  }

  /** Connects in the background and keeps reconnecting until closed. */
  public void start() {
    socket.start();
  }

  /** Whether the socket is open. */
  public boolean connected() {
    return socket.up();
  }

  /** Config notices received so far. */
  public long notices() {
    return notices.get();
  }

  static URI socketUri(URI cloudUrl, String deviceId) {
    return ReconnectingSocket.socketUri(
        cloudUrl,
        "/ws/service-host?device_id=" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8));
  }

  /** The socket's opening makes the channel up; it pings at the edge's own interval. */
  private void opened(long attempt) {
    Duration silenceLimit = pingInterval.multipliedBy(2).plusSeconds(1);
    if (socket.markUp(attempt, pingInterval, silenceLimit)) {
      log.info("service-host channel to {} is up", uri.getHost() + ":" + uri.getPort());
    }
  }

  void onFrame(String text) {
    JsonNode f;
    try {
      f = Json.MAPPER.readTree(text);
    } catch (Exception e) {
      log.debug("the cloud sent a service-host frame that is not JSON; ignored");
      return;
    }
    if (f == null) {
      return;
    }
    String type = f.path("type").asText("");
    switch (type) {
      // The welcome carries the version now: whatever changed while the socket was down.
      case "welcome" -> listener.onConfigChanged(f.path("version").asLong(-1), false);
      case "config:updated", "config:urgent" -> {
        notices.incrementAndGet();
        boolean urgent = type.equals("config:urgent");
        if (urgent) {
          log.info(
              "urgent config change {} {}/{}: syncing now",
              f.path("reason").asText("(no reason given)"),
              f.path("entity_type").asText("?"),
              f.path("entity_id").asText("?"));
        }
        listener.onConfigChanged(f.path("version").asLong(-1), urgent);
      }
      case "sync:required" -> {
        notices.incrementAndGet();
        listener.onFullSyncRequired(f.path("reason").asText("the cloud asked for a full sync"));
      }
      default -> log.debug("service-host frame of type '{}' ignored", type);
    }
  }

  @Override
  public void close() {
    socket.close();
  }

  private final class Frames implements ReconnectingSocket.Handler {
    @Override
    public void onOpen(long attempt) {
      opened(attempt);
    }

    @Override
    public void onText(long attempt, String text) {
      onFrame(text);
    }

    @Override
    public void onClose(int statusCode, String reason) {
      if (statusCode == 4401 || statusCode == 4403 || statusCode == 1008) {
        log.warn(
            "the cloud refused the service-host channel ({} {}): check the edge's token and"
                + " device id; the heartbeat still finds config changes",
            statusCode,
            reason);
      }
    }
  }
}
