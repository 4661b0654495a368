package dev.olympus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerTest {
  static final String OWN = "olympus/t1/loc-1/sensors/temperature/cooler-1";
  static final List<String> received = new CopyOnWriteArrayList<>();
  static EmbeddedBroker broker;

  static final DeviceAuthenticator DEVICES =
      (username, password) ->
          username.equals("cooler-1")
                  && Arrays.equals(password, "s3cret".getBytes(StandardCharsets.UTF_8))
              ? Optional.of(
                  new DevicePrincipal(
                      "t1",
                      "loc-1",
                      "cooler-1",
                      Set.of(OWN, "olympus/t1/loc-1/commands/cooler-1/ack"),
                      Set.of("olympus/t1/loc-1/commands/cooler-1/action")))
              : Optional.empty();

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("olympus-broker-test");
    broker =
        EmbeddedBroker.start(
            new BrokerSettings("127.0.0.1", 0, dir),
            DEVICES,
            (device, topic, payload, at, receipt) -> {
              received.add(
                  device.deviceId()
                      + " "
                      + topic
                      + " "
                      + new String(payload, StandardCharsets.UTF_8));
              receipt.stored();
            });
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static Mqtt5BlockingClient v5(String user, String password) {
    Mqtt5BlockingClient c =
        MqttClient.builder()
            .useMqttVersion5()
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .buildBlocking();
    c.connectWith()
        .simpleAuth()
        .username(user)
        .password(password.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    return c;
  }

  @Test
  void aDevice_publishesOnItsOwnTopic_overMqtt5AndMqtt311() {
    Mqtt5BlockingClient c = v5("cooler-1", "s3cret");
    c.publishWith()
        .topic(OWN)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("{\"value\":34.5}".getBytes(StandardCharsets.UTF_8))
        .send();
    c.disconnect();
    Mqtt3BlockingClient old =
        MqttClient.builder()
            .useMqttVersion3()
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .buildBlocking();
    old.connectWith()
        .simpleAuth()
        .username("cooler-1")
        .password("s3cret".getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    old.publishWith()
        .topic(OWN)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("{\"value\":35}".getBytes(StandardCharsets.UTF_8))
        .send();
    old.disconnect();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(received)
                    .contains(
                        "cooler-1 " + OWN + " {\"value\":34.5}",
                        "cooler-1 " + OWN + " {\"value\":35}"));
  }

  @Test
  void aWrongPasswordOrUnknownDevice_isRefused() {
    long before = broker.stats().refusedLogins();
    assertThatThrownBy(() -> v5("cooler-1", "wrong"))
        .hasMessageContaining("BAD_USER_NAME_OR_PASSWORD");
    assertThatThrownBy(() -> v5("nobody", "s3cret"))
        .hasMessageContaining("BAD_USER_NAME_OR_PASSWORD");
    assertThat(broker.stats().refusedLogins()).isEqualTo(before + 2);
  }

  @Test
  void anotherLocationsTopic_isDropped_andCounted() {
    long before = broker.stats().refusedTopics();
    Mqtt5BlockingClient c = v5("cooler-1", "s3cret");
    assertThatThrownBy(
            () ->
                c.publishWith()
                    .topic("olympus/t2/loc-9/sensors/temperature/cooler-1")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"value\":99}".getBytes(StandardCharsets.UTF_8))
                    .send())
        .isInstanceOfSatisfying(
            com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    c.disconnect();
    assertThat(broker.stats().refusedTopics()).isEqualTo(before + 1);
    assertThat(received).noneMatch(m -> m.contains("loc-9"));
  }

  @Test
  void aWillOnAnotherDevicesTopic_refusesTheLogin_aWillOnItsOwnTopicIsAccepted() {
    long before = broker.stats().refusedTopics();
    Mqtt5BlockingClient forged =
        MqttClient.builder()
            .useMqttVersion5()
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .buildBlocking();
    assertThatThrownBy(
            () ->
                forged
                    .connectWith()
                    .simpleAuth()
                    .username("cooler-1")
                    .password("s3cret".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .willPublish()
                    .topic("olympus/t1/loc-1/commands/oven-1/action")
                    .payload("{\"action\":\"off\"}".getBytes(StandardCharsets.UTF_8))
                    .applyWillPublish()
                    .send())
        .isInstanceOfSatisfying(
            com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(
                        com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode
                            .NOT_AUTHORIZED));
    assertThat(broker.stats().refusedTopics()).isEqualTo(before + 1);

    Mqtt5BlockingClient own =
        MqttClient.builder()
            .useMqttVersion5()
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .buildBlocking();
    own.connectWith()
        .simpleAuth()
        .username("cooler-1")
        .password("s3cret".getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .willPublish()
        .topic(OWN)
        .payload("{\"value\":0}".getBytes(StandardCharsets.UTF_8))
        .applyWillPublish()
        .send();
    own.disconnect();
  }

  @Test
  void theHubPublishes_andADeviceReceivesItsOwnCommandsOnly() throws Exception {
    Mqtt5BlockingClient c = v5("cooler-1", "s3cret");
    var publishes = c.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
    c.subscribeWith()
        .topicFilter("olympus/t1/loc-1/commands/cooler-1/action")
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    assertThatThrownBy(
            () -> c.subscribeWith().topicFilter("olympus/t1/loc-1/commands/oven-1/action").send())
        .isInstanceOfSatisfying(
            com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCodes())
                    .containsExactly(
                        com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode
                            .NOT_AUTHORIZED));
    broker
        .publish(
            "olympus/t1/loc-1/commands/cooler-1/action",
            "{\"action\":\"defrost\"}".getBytes(StandardCharsets.UTF_8),
            1,
            false)
        .get();
    var msg = publishes.receive(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(msg).isPresent();
    assertThat(new String(msg.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
        .contains("defrost");
    c.disconnect();
  }

  @Test
  void theHubsPublishes_stayOnItsOwnBroker_whenAnotherBrokerStartsAndStopsInTheProcess()
      throws Exception {
    Mqtt5BlockingClient c = v5("cooler-1", "s3cret");
    var publishes = c.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
    c.subscribeWith()
        .topicFilter("olympus/t1/loc-1/commands/cooler-1/action")
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    // a second hub in this JVM (the demo runs two edges and a cloud in one process)
    EmbeddedBroker other =
        EmbeddedBroker.start(
            new BrokerSettings("127.0.0.1", 0, Files.createTempDirectory("olympus-broker-2")),
            DEVICES,
            (device, topic, payload, at, receipt) -> receipt.stored());
    other.close();
    broker
        .publish(
            "olympus/t1/loc-1/commands/cooler-1/action",
            "{\"action\":\"set_point\",\"value\":36}".getBytes(StandardCharsets.UTF_8),
            1,
            false)
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    var msg = publishes.receive(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(msg).isPresent();
    assertThat(new String(msg.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
        .contains("set_point");
    c.disconnect();
  }
}
