package dev.olympus.cloud.iot;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /** Connects to {@code url} ({@code tcp://host:port}) and subscribes; throws if it cannot. */
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
    Mqtt5AsyncClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(CLIENT_ID)
            .serverHost(uri.getHost())
            .serverPort(port)
            .automaticReconnectWithDefaultConfig()
            .addConnectedListener(c -> log.info("MQTT ingest connected to {}", url))
            .addDisconnectedListener(
                c -> {
                  if (c.getSource() != MqttDisconnectSource.USER) {
                    log.warn(
                        "MQTT ingest disconnected from {} ({}); reconnecting",
                        url,
                        c.getCause().getMessage());
                  }
                })
            .buildAsync();
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        publish ->
            ingest.accept(
                publish.getTopic().toString(), publish.getPayloadAsBytes(), publish::acknowledge),
        true);
    var connect =
        client.connectWith().cleanStart(false).sessionExpiryInterval(SESSION_EXPIRY_SECONDS);
    if (username != null) {
      var auth = connect.simpleAuth().username(username);
      if (password != null) {
        auth = auth.password(password.getBytes(StandardCharsets.UTF_8));
      }
      connect = auth.applySimpleAuth();
    }
    try {
      connect.send().get(10, TimeUnit.SECONDS);
      client
          .subscribeWith()
          .addSubscription()
          .topicFilter(SENSORS)
          .qos(MqttQos.AT_LEAST_ONCE)
          .applySubscription()
          .addSubscription()
          .topicFilter(EQUIPMENT)
          .qos(MqttQos.AT_LEAST_ONCE)
          .applySubscription()
          .send()
          .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      client.disconnect();
      throw new IllegalStateException(
          "cannot connect the MQTT ingest to " + url + ": " + rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + url, e);
    }
    log.info("MQTT ingest subscribed to {} and {} at {}", SENSORS, EQUIPMENT, url);
    return new CloudMqtt(client, url);
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
