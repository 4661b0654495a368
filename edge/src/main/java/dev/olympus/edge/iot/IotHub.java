package dev.olympus.edge.iot;

import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertEngine;
import dev.olympus.core.iot.AlertEvent;
import dev.olympus.core.iot.AlertSettings;
import dev.olympus.core.iot.AlertStatus;
import dev.olympus.core.iot.AlertTopic;
import dev.olympus.core.iot.CommandAckTopic;
import dev.olympus.core.iot.EquipmentStatusTopic;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.core.iot.PayloadException;
import dev.olympus.core.iot.SensorTopic;
import dev.olympus.core.iot.TelemetryEvent;
import dev.olympus.core.iot.TelemetryPayloads;
import dev.olympus.core.iot.Topic;
import dev.olympus.core.iot.TopicException;
import dev.olympus.core.iot.Topics;
import dev.olympus.core.iot.UnknownAlertException;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.mqtt.BrokerSettings;
import dev.olympus.mqtt.DevicePrincipal;
import dev.olympus.mqtt.EmbeddedBroker;
import dev.olympus.mqtt.MessageSink;
import dev.olympus.mqtt.RateLimitedLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restaurant's IoT hub: the embedded MQTT broker the sensors publish to, and one ingest thread
 * that stores their readings in batches ({@link TelemetryStore}), runs the alert engine on them,
 * publishes alerts on {@code olympus/{tenant}/{location}/alerts/{severity}/{alert_id}}, and tells
 * the {@link AlertListener} (the notifications). It needs no cloud: alerts are decided here, while
 * the internet is down too. A {@link TelemetryForwarder} takes the readings to the cloud. Commands
 * to equipment go out and their acknowledgements come back through {@link #commands()}.
 *
 * <p>A reading is durable once its batch commits, and only then does its sensor get the QoS 1
 * acknowledgement (a crash before it makes the sensor send it again). The engine's state is saved
 * in the same transaction, so a restart (or a power cut) continues every timer where it stood.
 * Alerts whose notification may not have been handed over before a crash are handed over again at
 * start: the notifier stores each message once, by a name-based id.
 */
public final class IotHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IotHub.class);
  private static final int QUEUE_CAPACITY = 200_000;
  private static final int MAX_BATCH = 10_000;
  private static final long STATE_SAVE_MILLIS = 1_000;

  /**
   * Readings the cloud has are kept this long on the edge (for the LAN's charts and offline
   * queries), then removed; the cloud keeps 90 days. Unforwarded readings are never removed.
   */
  static final Duration KEEP_FORWARDED = Duration.ofDays(7);

  private final TelemetryStore store;
  private final HubDevices devices;
  private final AlertEngine engine;
  private final AlertListener listener;
  private final Clock clock;
  private final DeviceCommands commands;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
  private final AtomicLong stored = new AtomicLong();
  private final RateLimitedLog problems = new RateLimitedLog(log);
  private final Thread ingest;
  private volatile Timer decisions;
  private volatile EmbeddedBroker broker;
  private volatile boolean running = true;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  /** Work for the ingest thread besides readings: acknowledging, resolving. */
  private record Task(Supplier<Object> work, CompletableFuture<Object> done) {}

  private record Incoming(
      DevicePrincipal device, String topic, byte[] payload, long at, MessageSink.Receipt receipt) {}

  private IotHub(
      TelemetryStore store,
      HubDevices devices,
      AlertEngine engine,
      AlertListener listener,
      Clock clock) {
    this.store = store;
    this.devices = devices;
    this.engine = engine;
    this.listener = listener;
    this.clock = clock;
    this.commands =
        new DeviceCommands(
            store,
            clock,
            DeviceCommands.ACK_TIMEOUT,
            (topic, payload) -> {
              EmbeddedBroker b = broker;
              return b == null
                  ? CompletableFuture.failedFuture(
                      new IllegalStateException("the MQTT broker is not running"))
                  : b.publish(topic, payload, 1, false);
            });
    this.ingest = Thread.ofPlatform().name("iot-ingest").daemon().unstarted(this::run);
  }

  /**
   * Opens {@code dataDir/telemetry.db}, restores the alert engine and starts the broker on {@code
   * mqttPort} (0: any free port).
   */
  public static IotHub start(
      Path dataDir,
      String host,
      int mqttPort,
      ConfigCache cache,
      String locationId,
      AlertSettings alertSettings,
      AlertListener listener,
      Clock clock,
      MeterRegistry metrics) {
    TelemetryStore store = TelemetryStore.open(dataDir);
    try {
      HubDevices devices = new HubDevices(cache, locationId);
      devices.refresh();
      AlertEngine engine = new AlertEngine(alertSettings);
      engine.watch(devices.devices());
      IotHub hub = new IotHub(store, devices, engine, listener, clock);
      hub.restoreEngine();
      hub.announceOpenAlerts();
      hub.registerMetrics(metrics);
      hub.ingest.start();
      hub.broker =
          EmbeddedBroker.start(
              new BrokerSettings(host, mqttPort, dataDir.resolve("mqtt")), devices, hub::received);
      return hub;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Restores the engine from its last saved state and replays the readings stored after it (the
   * state is saved about once a second, the readings with every batch), storing whatever alerts the
   * replay decides.
   */
  private void restoreEngine() {
    Optional<TelemetryStore.SavedEngine> saved = store.engineState();
    if (saved.isEmpty()) {
      return;
    }
    engine.restore(saved.get().state());
    String tenant = devices.tenantId();
    long after = saved.get().throughSeq();
    int replayed = 0;
    Map<String, Alert> changed = new LinkedHashMap<>();
    List<TelemetryStore.Reading> page;
    while (!(page = store.readingsAfter(after, 10_000)).isEmpty()) {
      Instant now = clock.instant();
      for (TelemetryStore.Reading r : page) {
        after = r.seq();
        IotDevice known = devices.find(r.deviceId()).orElse(null);
        if (known == null || tenant == null) {
          continue;
        }
        TelemetryEvent e =
            new TelemetryEvent(
                tenant,
                known.locationId(),
                r.deviceId(),
                known.type(),
                r.ts(),
                r.value(),
                r.unit(),
                r.open(),
                r.state(),
                r.attributes());
        for (AlertEvent ev : engine.onEvent(e, now)) {
          changed.put(ev.alert().alertId(), ev.alert());
        }
        replayed++;
      }
    }
    store.write(List.of(), List.copyOf(changed.values()), engine.snapshot(), clock.millis());
    if (replayed > 0) {
      log.info(
          "IoT hub replayed {} reading(s) stored after the engine's last saved state", replayed);
    }
  }

  /**
   * Hands the open alerts to the listener again: a crash may have come between storing an alert and
   * handing it over, and the notifier stores each message once.
   */
  private void announceOpenAlerts() {
    for (Alert a : engine.openAlerts()) {
      if (a.status() == AlertStatus.ACTIVE) {
        tell(new AlertEvent(AlertEvent.Kind.RAISED, a, true));
        if (a.escalations() > 0) {
          tell(new AlertEvent(AlertEvent.Kind.ESCALATED, a, true));
        }
      }
    }
  }

  private void registerMetrics(MeterRegistry metrics) {
    if (metrics == null) {
      return;
    }
    metrics.gauge("olympus_iot_readings_stored", stored, AtomicLong::doubleValue);
    metrics.gauge("olympus_iot_queue", queue, BlockingQueue::size);
    metrics.gauge("olympus_iot_unforwarded", store, s -> s.unforwarded());
    decisions =
        Timer.builder("olympus_iot_alert_decision")
            .description(
                "from a reading's arrival at the broker to the alert it raised stored and published")
            .publishPercentiles(0.5, 0.99)
            .register(metrics);
    for (String reason :
        List.of(
            "bad_topic",
            "bad_payload",
            "unknown_device",
            "queue_full",
            "bad_ack",
            "unknown_command",
            "wrong_device",
            "duplicate_ack")) {
      metrics.gauge(
          "olympus_iot_rejected_" + reason, rejectedCounter(reason), AtomicLong::doubleValue);
    }
  }

  private AtomicLong rejectedCounter(String reason) {
    return rejected.computeIfAbsent(reason, r -> new AtomicLong());
  }

  /** On the broker's threads: parse, check, queue. Never blocks, never throws. */
  private void received(
      DevicePrincipal device, String topic, byte[] payload, long at, MessageSink.Receipt receipt) {
    if (!queue.offer(new Incoming(device, topic, payload, at, receipt))) {
      reject("queue_full", device.deviceId(), "the ingest queue is full");
      receipt.refused("the hub is busy: publish again");
    }
  }

  /** Counts and logs a refused message and tells its device (MQTT 5: an error PUBACK). */
  private void refuse(Incoming in, String reason, String deviceId, String why) {
    reject(reason, deviceId, why);
    in.receipt().refused(why);
  }

  private void reject(String reason, String deviceId, String why) {
    rejectedCounter(reason).incrementAndGet();
    problems.warn(
        reason + ":" + deviceId, "IoT reading of '{}' not stored ({}): {}", deviceId, reason, why);
  }

  /**
   * Parsed topics by name. Bounded: the broker lets each registered device publish on its own
   * topics only, so there are a few per device.
   */
  private final Map<String, Topic> topics = new java.util.HashMap<>();

  private Topic topic(String name) throws TopicException {
    Topic t = topics.get(name);
    if (t == null) {
      t = Topics.parse(name);
      if (topics.size() > 100_000) {
        topics.clear();
      }
      topics.put(name, t);
    }
    return t;
  }

  private TelemetryEvent parse(Incoming in) {
    Topic topic;
    try {
      topic = topic(in.topic());
    } catch (TopicException e) {
      refuse(in, "bad_topic", in.device().deviceId(), e.getMessage());
      return null;
    }
    if (topic instanceof CommandAckTopic ack) {
      acknowledged(in, ack);
      return null;
    }
    String deviceId =
        switch (topic) {
          case SensorTopic s -> s.deviceId();
          case EquipmentStatusTopic s -> s.deviceId();
          default -> null;
        };
    if (deviceId == null) {
      // the hub's own alerts and commands: nothing a device sends
      return null;
    }
    IotDevice known = devices.find(deviceId).orElse(null);
    if (known == null
        || !known.tenantId().equals(topic.tenantId())
        || !known.locationId().equals(topic.locationId())) {
      refuse(in, "unknown_device", deviceId, "not a registered device of this location");
      return null;
    }
    try {
      TelemetryEvent e = TelemetryPayloads.parse(topic, in.payload(), in.at());
      if (e.deviceType() != known.type()) {
        refuse(
            in,
            "bad_topic",
            deviceId,
            "registered as "
                + known.type().wireName()
                + ", published as "
                + e.deviceType().wireName());
        return null;
      }
      return e;
    } catch (PayloadException e) {
      refuse(in, "bad_payload", deviceId, e.getMessage());
      return null;
    }
  }

  /** A device's answer to a command: recorded, or counted as rejected and logged. */
  private void acknowledged(Incoming in, CommandAckTopic ack) {
    String deviceId = ack.deviceId();
    IotDevice known = devices.find(deviceId).orElse(null);
    if (known == null
        || !known.tenantId().equals(ack.tenantId())
        || !known.locationId().equals(ack.locationId())
        || !deviceId.equals(in.device().deviceId())) {
      refuseAck("unknown_device", deviceId, "not a registered device of this location");
      in.receipt().refused("not a registered device of this location");
      return;
    }
    commands
        .acknowledge(deviceId, in.payload())
        .ifPresent(r -> refuseAck(r.reason(), deviceId, r.why()));
  }

  private void refuseAck(String reason, String deviceId, String why) {
    rejectedCounter(reason).incrementAndGet();
    problems.warn(
        reason + ":" + deviceId,
        "IoT command acknowledgement from '{}' refused ({}): {}",
        deviceId,
        reason,
        why);
  }

  private void run() {
    List<Object> work = new ArrayList<>();
    List<MessageSink.Receipt> receipts = new ArrayList<>();
    long lastStateSave = 0;
    long lastTick = 0;
    long lastRefresh = System.nanoTime();
    long watchedVersion = devices.version();
    long lastPrune = 0;
    long lastExpiry = 0;
    while (running || !queue.isEmpty()) {
      try {
        Object first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first != null) {
          work.add(first);
          queue.drainTo(work, MAX_BATCH - 1);
        }
        if (System.nanoTime() - lastRefresh > TimeUnit.SECONDS.toNanos(5)) {
          lastRefresh = System.nanoTime();
          devices.refresh();
        }
        if (devices.version() != watchedVersion) {
          watchedVersion = devices.version();
          engine.watch(devices.devices());
        }
        Instant now = clock.instant();
        List<TelemetryEvent> events = new ArrayList<>();
        List<AlertEvent> alerts = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        List<Long> raisedFrom = new ArrayList<>();
        for (Object o : work) {
          if (o instanceof Incoming in) {
            TelemetryEvent e = parse(in);
            if (e == null) {
              // refused (answered already), or not telemetry (a command's answer): done
              in.receipt().stored();
            } else {
              receipts.add(in.receipt());
              events.add(e);
              for (AlertEvent ev : engine.onEvent(e, now)) {
                alerts.add(ev);
                if (ev.kind() == AlertEvent.Kind.RAISED && ev.shouldNotify()) {
                  raisedFrom.add(in.at());
                }
              }
            }
          } else if (o instanceof Task t) {
            tasks.add(t);
          }
        }
        work.clear();
        if (now.toEpochMilli() - lastPrune >= Duration.ofHours(1).toMillis()) {
          lastPrune = now.toEpochMilli();
          int gone = store.prune(now.minus(KEEP_FORWARDED).toEpochMilli());
          store.pruneRollups(now.toEpochMilli());
          if (gone > 0) {
            log.info(
                "IoT hub removed {} reading(s) older than {} days that the cloud has",
                gone,
                KEEP_FORWARDED.toDays());
          }
        }
        if (now.toEpochMilli() - lastTick >= 1000) {
          lastTick = now.toEpochMilli();
          alerts.addAll(engine.tick(now));
        }
        List<Object> results = new ArrayList<>();
        for (Task t : tasks) {
          try {
            Object r = t.work().get();
            results.add(r);
            if (r instanceof AlertEvent ev) {
              alerts.add(ev);
            }
          } catch (RuntimeException e) {
            results.add(e);
          }
        }
        if (!events.isEmpty() || !alerts.isEmpty()) {
          Map<String, Alert> changed = new LinkedHashMap<>();
          for (AlertEvent ev : alerts) {
            changed.put(ev.alert().alertId(), ev.alert());
          }
          // The engine's state goes with the batch when alerts changed or a second has passed;
          // in between, a restart replays the readings stored since (restoreEngine).
          boolean saveState =
              !alerts.isEmpty()
                  || !tasks.isEmpty()
                  || now.toEpochMilli() - lastStateSave >= STATE_SAVE_MILLIS;
          store.write(
              events,
              List.copyOf(changed.values()),
              saveState ? engine.snapshot() : null,
              now.toEpochMilli());
          if (saveState) {
            lastStateSave = now.toEpochMilli();
          }
          stored.addAndGet(events.size());
        }
        // committed: now the sensors hear that their readings arrived
        for (MessageSink.Receipt r : receipts) {
          r.stored();
        }
        receipts.clear();
        for (int i = 0; i < tasks.size(); i++) {
          Object r = results.get(i);
          if (r instanceof RuntimeException e) {
            tasks.get(i).done().completeExceptionally(e);
          } else {
            tasks.get(i).done().complete(r);
          }
        }
        for (AlertEvent ev : alerts) {
          publish(ev);
          tell(ev);
        }
        Timer t = decisions;
        if (t != null) {
          long decided = System.currentTimeMillis();
          for (long at : raisedFrom) {
            t.record(Math.max(0, decided - at), TimeUnit.MILLISECONDS);
          }
        }
        if (now.toEpochMilli() - lastExpiry >= 1000) {
          lastExpiry = now.toEpochMilli();
          commands.expire(now);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // A batch that cannot be stored is lost to the store, not to the hub: log it, tell the
        // sensors it was not stored (MQTT 5: an error PUBACK), and go on.
        log.error("IoT ingest batch failed: {}", e.toString(), e);
        for (MessageSink.Receipt r : receipts) {
          r.refused("not stored: " + e.getMessage());
        }
        receipts.clear();
        work.clear();
      }
    }
    stopped.complete(null);
  }

  private void tell(AlertEvent ev) {
    try {
      listener.onAlert(ev);
    } catch (RuntimeException e) {
      log.error(
          "alert listener failed on {} {}: {}", ev.kind(), ev.alert().alertId(), e.toString());
    }
  }

  private void publish(AlertEvent ev) {
    Alert a = ev.alert();
    EmbeddedBroker b = broker;
    if (b == null) {
      return;
    }
    String topic = new AlertTopic(a.tenantId(), a.locationId(), a.severity(), a.alertId()).name();
    log.info(
        "IoT alert {} {} on {}: {} ({})",
        ev.kind().name().toLowerCase(java.util.Locale.ROOT),
        a.rule().wireName(),
        a.deviceId(),
        a.message(),
        a.alertId());
    byte[] payload = TelemetryStore.json(a.toWire()).getBytes(StandardCharsets.UTF_8);
    // Open alerts are retained, so a dashboard that subscribes later sees them; a resolved one
    // is published once more and then no longer retained.
    boolean open = a.status() != AlertStatus.RESOLVED;
    b.publish(topic, payload, 1, open)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                log.warn("alert {} not published: {}", a.alertId(), error.toString());
              } else if (!open) {
                b.clearRetained(topic);
              }
            });
  }

  /** Acknowledges an alert (stops its escalation), on the ingest thread; empty if unknown. */
  public java.util.Optional<Alert> acknowledge(String alertId, String by) {
    return close(alertId, by, false);
  }

  /** Resolves an alert by hand, on the ingest thread; empty if unknown. */
  public java.util.Optional<Alert> resolve(String alertId, String by) {
    return close(alertId, by, true);
  }

  private java.util.Optional<Alert> close(String alertId, String by, boolean resolve) {
    CompletableFuture<Object> done = new CompletableFuture<>();
    Supplier<Object> work =
        () -> {
          try {
            java.util.Optional<Alert> before = engine.find(alertId);
            AlertEvent ev =
                resolve
                    ? engine.resolve(alertId, by, clock.instant())
                    : engine.acknowledge(alertId, by, clock.instant());
            // Closing what is already closed changes nothing: nothing to store, publish or tell.
            return before.isPresent() && before.get().equals(ev.alert()) ? ev.alert() : ev;
          } catch (UnknownAlertException e) {
            return null;
          }
        };
    if (!queue.offer(new Task(work, done))) {
      throw new IllegalStateException("the IoT hub is overloaded; try again");
    }
    try {
      Object r = done.get(10, TimeUnit.SECONDS);
      return java.util.Optional.ofNullable(r instanceof AlertEvent ev ? ev.alert() : (Alert) r);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("the IoT hub did not answer: " + e, e);
    }
  }

  /** Commands to the location's equipment and their acknowledgements. */
  public DeviceCommands commands() {
    return commands;
  }

  /** The broker's MQTT port. */
  public int mqttPort() {
    return broker.port();
  }

  public EmbeddedBroker broker() {
    return broker;
  }

  public TelemetryStore store() {
    return store;
  }

  /** The registered devices of this location. */
  public List<IotDevice> devices() {
    devices.refreshIfStale();
    return devices.devices();
  }

  /**
   * Messages refused, by reason: readings (bad_topic, bad_payload, unknown_device, queue_full) and
   * command acknowledgements (bad_ack, unknown_command, wrong_device, duplicate_ack).
   */
  public Map<String, Long> rejected() {
    Map<String, Long> out = new LinkedHashMap<>();
    rejected.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * How long alerts took to be decided: from the arrival of the reading that raised one to the
   * alert stored, published and handed to the notifier; null without a meter registry.
   */
  public Timer alertDecisions() {
    return decisions;
  }

  /** Readings stored since start. */
  public long storedCount() {
    return stored.get();
  }

  @Override
  public void close() {
    EmbeddedBroker b = broker;
    if (b != null) {
      b.close();
    }
    running = false;
    try {
      stopped.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("the IoT ingest thread did not stop in time: {}", e.toString());
    }
    store.close();
  }
}
