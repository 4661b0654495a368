package dev.olympus.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.RetainedMessageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT broker (HiveMQ CE, MQTT 3.1.1 and 5) in this process. Every connection logs in as a
 * registered device ({@link DeviceAuthenticator}); a device publishes only on its own topics and
 * subscribes only to its own commands; every message it may publish goes straight to the {@link
 * MessageSink}, with no network hop between the broker and the hub that stores it. A message on any
 * other topic is dropped (MQTT 5: "not authorized"), counted and logged; a login whose will is on
 * any other topic is refused.
 *
 * <p>The broker keeps sessions in memory: a sensor's reading is durable once the hub has it, not
 * before, so there is nothing for the broker to persist.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final String PRINCIPAL = "olympus.device";

  private final EmbeddedHiveMQ hivemq;
  private final int port;
  private final BrokerStats stats;
  private final Map<String, DevicePrincipal> principals;
  private final RateLimitedLog refusals;
  private final InstanceServices services;

  /**
   * This broker's own publish service and retained store. HiveMQ's {@code Services} is one static
   * holder per JVM that each starting broker overwrites, so a second broker in the process (a cloud
   * and an edge in one JVM, or two edges in the demo) would take over the first one's publishes;
   * the extension captures its broker's services when it starts.
   */
  private static final class InstanceServices {
    volatile PublishService publish;
    volatile RetainedMessageStore retained;
  }

  private EmbeddedBroker(
      EmbeddedHiveMQ hivemq,
      int port,
      BrokerStats stats,
      Map<String, DevicePrincipal> principals,
      RateLimitedLog refusals,
      InstanceServices services) {
    this.services = services;
    this.hivemq = hivemq;
    this.port = port;
    this.stats = stats;
    this.principals = principals;
    this.refusals = refusals;
  }

  /** Starts the broker; returns once it listens. */
  public static EmbeddedBroker start(
      BrokerSettings settings, DeviceAuthenticator authenticator, MessageSink sink) {
    int port = settings.port() == 0 ? freePort() : settings.port();
    if (settings.port() != 0) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new java.net.InetSocketAddress(settings.host(), port));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "MQTT port "
                + port
                + " is in use (is another edge or cloud running here?): pick another with"
                + " --mqtt-port (0: any free port, -1: no MQTT broker)");
      }
    }
    Path conf = settings.dataDir().resolve("conf");
    Path data = settings.dataDir().resolve("data");
    Path extensions = settings.dataDir().resolve("extensions");
    try {
      Files.createDirectories(conf);
      Files.createDirectories(data);
      Files.createDirectories(extensions);
      Files.writeString(conf.resolve("config.xml"), config(settings.host(), port));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare the MQTT broker's folder " + settings.dataDir() + ": " + e.getMessage(),
          e);
    }
    BrokerStats stats = new BrokerStats();
    Map<String, DevicePrincipal> principals = new ConcurrentHashMap<>();
    RateLimitedLog refusals = new RateLimitedLog(log);
    InstanceServices services = new InstanceServices();
    ExtensionMain main = new Extension(authenticator, sink, stats, principals, refusals, services);
    EmbeddedHiveMQ hivemq =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(conf)
            .withDataFolder(data)
            .withExtensionsFolder(extensions)
            .withoutLoggingBootstrap()
            .withEmbeddedExtension(
                EmbeddedExtension.builder()
                    .withId("olympus")
                    .withName("Olympus device hub")
                    .withVersion("1")
                    .withAuthor("Olympus")
                    .withPriority(1000)
                    .withStartPriority(1000)
                    .withExtensionMain(main)
                    .build())
            .build();
    try {
      hivemq.start().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      try {
        hivemq.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw new IllegalStateException(
          "the MQTT broker did not start on port " + port + ": " + rootMessage(e), e);
    }
    log.info(
        "MQTT broker listening on {}:{} (MQTT 3.1.1 and 5, device logins)", settings.host(), port);
    return new EmbeddedBroker(hivemq, port, stats, principals, refusals, services);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static String config(String host, int port) {
    return """
        <?xml version="1.0"?>
        <hivemq>
          <listeners>
            <tcp-listener>
              <port>%d</port>
              <bind-address>%s</bind-address>
            </tcp-listener>
          </listeners>
          <mqtt>
            <receive-maximum>
              <!-- readings are acknowledged once stored: let a device keep a batch's worth in
                   flight while the hub commits -->
              <server-receive-maximum>1000</server-receive-maximum>
            </receive-maximum>
          </mqtt>
          <persistence>
            <mode>in-memory</mode>
          </persistence>
          <anonymous-usage-statistics>
            <enabled>false</enabled>
          </anonymous-usage-statistics>
        </hivemq>
        """
        .formatted(port, host);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the MQTT broker", e);
    }
  }

  /** The port the broker listens on. */
  public int port() {
    return port;
  }

  public BrokerStats stats() {
    return stats;
  }

  /** Publishes from the hub itself (alerts, commands); no device login involved. */
  public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
    return services.publish.publish(
        Builders.publish()
            .topic(topic)
            .payload(ByteBuffer.wrap(payload))
            .qos(Qos.valueOf(qos))
            .retain(retain)
            .build());
  }

  /** Clears a retained message (an alert that is no longer open). */
  public CompletableFuture<Void> clearRetained(String topic) {
    return services.retained.remove(topic);
  }

  @Override
  public void close() {
    try {
      hivemq.stop().get(30, TimeUnit.SECONDS);
      hivemq.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("the MQTT broker did not stop cleanly: {}", rootMessage(e));
    }
    principals.clear();
    log.info("MQTT broker on port {} stopped", port);
  }

  /** The broker's view of Olympus: logins, topic rights, and the hand-over of messages. */
  private record Extension(
      DeviceAuthenticator authenticator,
      MessageSink sink,
      BrokerStats stats,
      Map<String, DevicePrincipal> principals,
      RateLimitedLog refusals,
      InstanceServices services)
      implements ExtensionMain {

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
      services.publish = Services.publishService();
      services.retained = Services.retainedMessageStore();
      SimpleAuthenticator login = this::login;
      Services.securityRegistry().setAuthenticatorProvider(in -> login);
      SubscriptionAuthorizer subscriptions = this::authorizeSubscribe;
      Services.securityRegistry().setAuthorizerProvider(in -> subscriptions);
      PublishInboundInterceptor intake = this::intake;
      Services.initializerRegistry()
          .setClientInitializer((in, client) -> client.addPublishInboundInterceptor(intake));
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}

    private void login(SimpleAuthInput in, SimpleAuthOutput out) {
      String username = in.getConnectPacket().getUserName().orElse("");
      byte[] password =
          in.getConnectPacket()
              .getPassword()
              .map(
                  b -> {
                    byte[] bytes = new byte[b.remaining()];
                    b.duplicate().get(bytes);
                    return bytes;
                  })
              .orElse(new byte[0]);
      Optional<DevicePrincipal> device;
      try {
        device =
            username.isEmpty() ? Optional.empty() : authenticator.authenticate(username, password);
      } catch (RuntimeException e) {
        log.warn("MQTT login of '{}' failed: {}", username, e.toString());
        device = Optional.empty();
      }
      if (device.isEmpty()) {
        stats.refusedLogins.incrementAndGet();
        refusals.warn(
            "login:" + username,
            "MQTT login refused for '{}' from {}: unknown device or wrong password",
            abbreviate(username),
            in.getConnectionInformation().getInetAddress().map(Object::toString).orElse("?"));
        out.failAuthentication(
            ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "unknown device or wrong password");
        return;
      }
      DevicePrincipal d = device.get();
      String key = d.tenantId() + "/" + d.locationId() + "/" + d.deviceId();
      // A will is published by the broker itself when the device drops, past intake(): the same
      // rule applies to it here, or a device could leave a "command" on another device's topic.
      Optional<String> will = in.getConnectPacket().getWillPublish().map(w -> w.getTopic());
      if (will.isPresent() && !d.mayPublish(will.get())) {
        stats.refusedTopics.incrementAndGet();
        refusals.warn(
            "will:" + d.deviceId(),
            "MQTT login refused for device '{}': its will is on '{}', not one of its own topics",
            d.deviceId(),
            abbreviate(will.get()));
        out.failAuthentication(
            ConnackReasonCode.NOT_AUTHORIZED, "a device's will goes on its own topics only");
        return;
      }
      principals.put(key, d);
      in.getConnectionInformation().getConnectionAttributeStore().putAsString(PRINCIPAL, key);
      // No topic permissions: publishing is checked per message in intake(), where a refusal is
      // also counted, and subscribing in authorizeSubscribe(). With an empty list HiveMQ skips its
      // own per-message match (splitting every topic against every permission).
      out.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
      out.authenticateSuccessfully();
    }

    /** The device logged in on this connection; null if none (never admitted). */
    private DevicePrincipal principalOf(ConnectionInformation connection) {
      return connection
          .getConnectionAttributeStore()
          .getAsString(PRINCIPAL)
          .map(principals::get)
          .orElse(null);
    }

    /** A device subscribes to its own commands only. */
    private void authorizeSubscribe(
        SubscriptionAuthorizerInput in, SubscriptionAuthorizerOutput out) {
      String filter = in.getSubscription().getTopicFilter();
      DevicePrincipal d = principalOf(in.getConnectionInformation());
      if (d != null && d.subscribeFilters().contains(filter)) {
        out.authorizeSuccessfully();
        return;
      }
      refusals.warn(
          "subscribe:" + (d == null ? "?" : d.deviceId()),
          "MQTT subscription refused: device '{}' may not subscribe to '{}'",
          d == null ? "?" : d.deviceId(),
          abbreviate(filter));
      out.failAuthorization(
          SubackReasonCode.NOT_AUTHORIZED, "a device subscribes to its own commands only");
    }

    private void intake(PublishInboundInput in, PublishInboundOutput out) {
      String topic = in.getPublishPacket().getTopic();
      DevicePrincipal d = principalOf(in.getConnectionInformation());
      if (d == null || !d.mayPublish(topic)) {
        stats.refusedTopics.incrementAndGet();
        refusals.warn(
            "topic:" + (d == null ? "?" : d.deviceId()),
            "MQTT publish dropped: device '{}' may not publish on '{}'",
            d == null ? "?" : d.deviceId(),
            abbreviate(topic));
        out.preventPublishDelivery(
            AckReasonCode.NOT_AUTHORIZED, "a device publishes on its own topics only");
        return;
      }
      ByteBuffer b = in.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0));
      byte[] payload = new byte[b.remaining()];
      b.duplicate().get(payload);
      stats.accepted.incrementAndGet();
      if (in.getPublishPacket().getQos() == Qos.AT_MOST_ONCE) {
        // QoS 0 has no acknowledgement to hold back: hand it over and move on.
        sink.accept(d, topic, payload, System.currentTimeMillis(), NO_RECEIPT);
        return;
      }
      // The acknowledgement waits until the hub has stored the message (or refused it); one that
      // is not answered in time is not acknowledged as received. HiveMQ keeps a client's messages
      // in order, so each connection has one message waiting for the store at a time.
      Async<PublishInboundOutput> async =
          out.async(
              STORE_TIMEOUT,
              TimeoutFallback.FAILURE,
              AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
              "not stored in time");
      sink.accept(d, topic, payload, System.currentTimeMillis(), new AsyncReceipt(async));
    }
  }

  private static final MessageSink.Receipt NO_RECEIPT =
      new MessageSink.Receipt() {
        @Override
        public void stored() {}

        @Override
        public void refused(String why) {}
      };

  /** How long a device's publish may wait for the hub to store it. */
  private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

  /** Resumes HiveMQ's publish handling once, with or without delivery. */
  private static final class AsyncReceipt implements MessageSink.Receipt {
    private final Async<PublishInboundOutput> async;
    private final java.util.concurrent.atomic.AtomicBoolean answered =
        new java.util.concurrent.atomic.AtomicBoolean();

    AsyncReceipt(Async<PublishInboundOutput> async) {
      this.async = async;
    }

    @Override
    public void stored() {
      if (answered.compareAndSet(false, true)) {
        async.resume();
      }
    }

    @Override
    public void refused(String why) {
      if (answered.compareAndSet(false, true)) {
        async
            .getOutput()
            .preventPublishDelivery(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, abbreviate(why));
        async.resume();
      }
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
