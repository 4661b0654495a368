package dev.olympus.cloud.iot;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's direct MQTT ingest: an MQTT 5 client subscribed at QoS 1 to every tenant's sensor and
 * equipment topics on the broker at {@code --mqtt-url}. It keeps a persistent session (clean start
 * off, one hour expiry) and acknowledges a message only once {@link DirectIngest} stored it, so
 * readings published while the cloud was down or mid-batch are delivered again, not lost.
 */
public final class CloudMqtt implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CloudMqtt.class);

  /** The topic filters the cloud subscribes to. */
  public static final String SENSORS = "olympus/+/+/sensors/#";

  public static final String EQUIPMENT = "olympus/+/+/equipment/#";
  private static final long SESSION_EXPIRY_SECONDS = 3600;
  private static final String CLIENT_ID = "olympus-cloud-iot";

  private final Mqtt5AsyncClient client;
  private final String url;

  private CloudMqtt(Mqtt5AsyncClient client, String url) {
    this.client = client;
    this.url = url;
  }

  /**
   * Connects to {@code url} ({@code tcp://host:port}) and subscribes, waiting up to 10 seconds for
   * the first subscription; a broker not reachable yet is retried in the background. Throws only
   * for a malformed URL.
   */
  public static CloudMqtt connect(
      String url, String username, String password, DirectIngest ingest) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--mqtt-url '" + url + "' is not a URL like tcp://host:1883");
    }
    if (!"tcp".equals(uri.getScheme()) && !"mqtt".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "--mqtt-url '" + url + "' must be tcp://host:port (or mqtt://host:port)");
    }
    int port = uri.getPort() < 0 ? 1883 : uri.getPort();
    AtomicReference<Mqtt5AsyncClient> self = new AtomicReference<>();
    CompletableFuture<Void> firstSubscription = new CompletableFuture<>();
    var builder =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(CLIENT_ID)
            .serverHost(uri.getHost())
            .serverPort(port)
            .automaticReconnectWithDefaultConfig()
            // Subscribing on every connect covers a session the broker lost or expired.
            .addConnectedListener(
                c -> {
                  log.info("MQTT ingest connected to {}", url);
                  subscribe(self.get())
                      .whenComplete(
                          (ack, error) -> {
                            if (error == null) {
                              log.info(
                                  "MQTT ingest subscribed to {} and {} at {}",
                                  SENSORS,
                                  EQUIPMENT,
                                  url);
                              firstSubscription.complete(null);
                            } else {
                              log.warn("MQTT ingest could not subscribe at {}", url, error);
                            }
                          });
                })
            .addDisconnectedListener(
                c -> {
                  if (c.getSource() != MqttDisconnectSource.USER) {
                    // A first connect that fails keeps being retried; start need not wait.
                    firstSubscription.completeExceptionally(c.getCause());
                    log.warn(
                        "MQTT ingest disconnected from {} ({}); reconnecting",
                        url,
                        c.getCause().getMessage());
                  }
                });
    // On the client, not on the first CONNECT alone, so that reconnects log in too.
    if (username != null) {
      var auth = builder.simpleAuth().username(username);
      if (password != null) {
        auth = auth.password(password.getBytes(StandardCharsets.UTF_8));
      }
      builder = auth.applySimpleAuth();
    }
    Mqtt5AsyncClient client = builder.buildAsync();
    self.set(client);
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        publish ->
            ingest.accept(
                publish.getTopic().toString(), publish.getPayloadAsBytes(), publish::acknowledge),
        true);
    client
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
        .send()
        .whenComplete(
            (ack, error) -> {
              if (error != null) {
                firstSubscription.completeExceptionally(error);
              }
            });
    try {
      firstSubscription.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Not fatal: the client keeps reconnecting and subscribes once the broker answers.
      log.warn(
          "MQTT broker at {} not reachable yet ({}): the ingest keeps trying", url, rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + url, e);
    }
    return new CloudMqtt(client, url);
  }

  private static CompletableFuture<?> subscribe(Mqtt5AsyncClient client) {
    return client
        .subscribeWith()
        .addSubscription()
        .topicFilter(SENSORS)
        .qos(MqttQos.AT_LEAST_ONCE)
        .applySubscription()
        .addSubscription()
        .topicFilter(EQUIPMENT)
        .qos(MqttQos.AT_LEAST_ONCE)
        .applySubscription()
        .send();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  @Override
  public void close() {
    try {
      client.disconnect().get(5, TimeUnit.SECONDS);
      log.info("MQTT ingest disconnected from {}", url);
    } catch (ExecutionException | TimeoutException e) {
      log.debug("MQTT ingest disconnect from {}: {}", url, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
