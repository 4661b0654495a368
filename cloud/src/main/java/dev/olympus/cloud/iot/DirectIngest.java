package dev.olympus.cloud.iot;

import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertEngine;
import dev.olympus.core.iot.AlertEngineState;
import dev.olympus.core.iot.AlertEvent;
import dev.olympus.core.iot.AlertSettings;
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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readings that reach the cloud straight from an MQTT broker: checked against the registry, stored
 * in batches, and evaluated by the cloud's own alert engines (one per tenant; edge-forwarded
 * readings were evaluated at the edge). Everything touching an engine runs on one thread; engine
 * state is saved with each batch and restored at start, so timers survive a restart. A message is
 * acknowledged to the broker only after its batch committed.
 */
public final class DirectIngest implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectIngest.class);
  private static final long DEVICE_CACHE_MILLIS = 5_000;
  private static final int MAX_BATCH = 5_000;

  /** A message waiting for its batch; {@code ack} tells the broker once it is stored. */
  private record Pending(TelemetryEvent event, Runnable ack) {}

  private record CachedDevice(Optional<IotDevice> device, long expiresAt) {}

  private final Jdbi jdbi;
  private final TelemetryStore telemetry;
  private final AlertLog alertLog;
  private final IotDevices devices;
  private final IotMetrics metrics;
  private final AlertSettings settings;
  private final AlertListener listener;
  private final Clock clock;
  private final ScheduledExecutorService worker;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final Map<String, CachedDevice> deviceCache = new ConcurrentHashMap<>();
  // Engine thread only.
  private final Map<String, AlertEngine> engines = new HashMap<>();
  private boolean retrying;

  public DirectIngest(
      Jdbi jdbi,
      TelemetryStore telemetry,
      AlertLog alertLog,
      IotDevices devices,
      IotMetrics metrics,
      AlertSettings settings,
      AlertListener listener,
      Clock clock) {
    this.jdbi = jdbi;
    this.telemetry = telemetry;
    this.alertLog = alertLog;
    this.devices = devices;
    this.metrics = metrics;
    this.settings = settings;
    this.listener = listener;
    this.clock = clock;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "olympus-iot-ingest");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Restores every tenant's saved engine, so its timers (offline, durations, escalation) run even
   * before the tenant's next reading, then runs them every {@code every}.
   */
  public void startTicking(java.time.Duration every) {
    worker.execute(
        () -> {
          try {
            List<String> tenants =
                jdbi.withHandle(
                    h ->
                        h.createQuery("SELECT tenant_id FROM iot_engine_state ORDER BY tenant_id")
                            .mapTo(String.class)
                            .list());
            tenants.forEach(this::engine);
          } catch (RuntimeException e) {
            log.error(
                "restoring the IoT alert engines failed; they restore on the next reading", e);
          }
        });
    long ms = every.toMillis();
    worker.scheduleWithFixedDelay(this::tickSafely, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes one MQTT message. A bad topic or payload, or a device not registered at that tenant and
   * location, is counted, logged and acknowledged (never stored, never retried); a good one is
   * acknowledged once stored.
   *
   * @return whether the message was accepted for storing
   */
  public boolean accept(String topicName, byte[] payload, Runnable ack) {
    long now = clock.millis();
    Topic topic;
    try {
      topic = Topics.parse(topicName);
    } catch (TopicException e) {
      return refuse("bad_topic", topicName, e.getMessage(), ack);
    }
    if (!(topic instanceof SensorTopic) && !(topic instanceof EquipmentStatusTopic)) {
      return refuse("not_telemetry", topicName, "not a sensor or equipment status topic", ack);
    }
    TelemetryEvent event;
    try {
      event = TelemetryPayloads.parse(topic, payload, now);
    } catch (PayloadException e) {
      return refuse("bad_payload", topicName, e.getMessage(), ack);
    }
    Optional<IotDevice> device = device(event.tenantId(), event.deviceId());
    if (device.isEmpty()
        || !device.get().locationId().equals(event.locationId())
        || device.get().type() != event.deviceType()) {
      return refuse(
          "unknown_device",
          topicName,
          "no "
              + event.deviceType().wireName()
              + " device "
              + event.deviceId()
              + " registered at this tenant and location",
          ack);
    }
    queue.add(new Pending(event, ack));
    if (flushScheduled.compareAndSet(false, true)) {
      worker.execute(this::flushSafely);
    }
    return true;
  }

  private boolean refuse(String reason, String topic, String why, Runnable ack) {
    metrics.rejected(reason, 1);
    log.warn("MQTT message on {} refused ({}): {}", topic, reason, why);
    acknowledge(ack);
    return false;
  }

  /** Acknowledges to the broker; if the connection is gone, the broker redelivers (stored once). */
  private static void acknowledge(Runnable ack) {
    try {
      ack.run();
    } catch (RuntimeException e) {
      log.debug("MQTT acknowledgement not sent ({}); the message comes again", e.toString());
    }
  }

  private Optional<IotDevice> device(String tenantId, String deviceId) {
    String key = tenantId + "/" + deviceId;
    long now = clock.millis();
    CachedDevice c = deviceCache.get(key);
    if (c == null || c.expiresAt() < now) {
      c = new CachedDevice(devices.find(tenantId, deviceId), now + DEVICE_CACHE_MILLIS);
      if (deviceCache.size() > 100_000) {
        deviceCache.clear();
      }
      deviceCache.put(key, c);
    }
    return c.device();
  }

  private void flushSafely() {
    flushScheduled.set(false);
    // A batch waiting to be tried again goes first; the queue waits for it.
    while (!retrying && !queue.isEmpty()) {
      List<Pending> batch = new ArrayList<>();
      Pending p;
      while (batch.size() < MAX_BATCH && (p = queue.poll()) != null) {
        batch.add(p);
      }
      if (!store(batch, 0)) {
        return;
      }
    }
  }

  /**
   * Stores one batch and acknowledges it; on failure (the database unreachable) the engines go back
   * to their state before the batch and the same batch is tried again later, unacknowledged
   * meanwhile. Returns whether it was stored.
   */
  private boolean store(List<Pending> batch, int failures) {
    if (batch.isEmpty()) {
      return true;
    }
    long now = clock.millis();
    Instant nowInstant = Instant.ofEpochMilli(now);
    List<TelemetryEvent> events = batch.stream().map(Pending::event).toList();
    List<AlertEvent> decided = new ArrayList<>();
    Map<String, AlertEngine> touched = new LinkedHashMap<>();
    Map<String, AlertEngineState> before = new HashMap<>();
    try {
      for (TelemetryEvent e : events) {
        AlertEngine engine = engine(e.tenantId());
        if (touched.put(e.tenantId(), engine) == null) {
          before.put(e.tenantId(), engine.snapshot());
        }
        decided.addAll(engine.onEvent(e, nowInstant));
      }
      jdbi.useTransaction(
          h -> {
            telemetry.insert(h, events, "mqtt", now);
            for (AlertEvent a : decided) {
              alertLog.upsert(h, a.alert(), now);
            }
            for (Map.Entry<String, AlertEngine> t : touched.entrySet()) {
              saveState(h, t.getKey(), t.getValue().snapshot(), now);
            }
          });
    } catch (RuntimeException e) {
      before.forEach((tenant, state) -> touched.get(tenant).restore(state));
      long delay = Math.min(30_000L, 500L << Math.min(failures, 6));
      log.error(
          "storing {} MQTT readings failed; trying again in {} ms (they stay unacknowledged)",
          batch.size(),
          delay,
          e);
      retrying = true;
      worker.schedule(() -> retry(batch, failures + 1), delay, TimeUnit.MILLISECONDS);
      return false;
    }
    metrics.acceptedMqtt(events.size());
    for (Pending done : batch) {
      acknowledge(done.ack());
    }
    publish(decided);
    return true;
  }

  private void retry(List<Pending> batch, int failures) {
    if (store(batch, failures)) {
      retrying = false;
      flushSafely();
    }
  }

  private void tickSafely() {
    try {
      long now = clock.millis();
      Instant at = Instant.ofEpochMilli(now);
      for (Map.Entry<String, AlertEngine> e : engines.entrySet()) {
        // Devices may also change through the config API or another cloud instance.
        e.getValue().watch(devices.list(e.getKey(), null));
        List<AlertEvent> decided = e.getValue().tick(at);
        if (decided.isEmpty()) {
          continue;
        }
        jdbi.useTransaction(
            h -> {
              for (AlertEvent a : decided) {
                alertLog.upsert(h, a.alert(), now);
              }
              saveState(h, e.getKey(), e.getValue().snapshot(), now);
            });
        publish(decided);
      }
    } catch (RuntimeException e) {
      log.error("IoT alert timers failed; they run again at the next tick", e);
    }
  }

  private void publish(List<AlertEvent> decided) {
    for (AlertEvent a : decided) {
      log.info(
          "IoT alert {} {} on {} ({}){}",
          a.alert().alertId(),
          a.kind(),
          a.alert().deviceId(),
          a.alert().rule().wireName(),
          a.shouldNotify() ? ", notifying" : "");
      try {
        listener.onAlert(a);
      } catch (RuntimeException e) {
        log.error("the alert listener failed on {}", a.alert().alertId(), e);
      }
    }
  }

  /** The tenant's engine, restored from its saved state on first use. Engine thread only. */
  private AlertEngine engine(String tenantId) {
    AlertEngine engine = engines.get(tenantId);
    if (engine == null) {
      engine = new AlertEngine(settings);
      engine.watch(devices.list(tenantId, null));
      Optional<String> saved =
          jdbi.withHandle(
              h ->
                  h.createQuery("SELECT state FROM iot_engine_state WHERE tenant_id = :t")
                      .bind("t", tenantId)
                      .mapTo(String.class)
                      .findOne());
      if (saved.isPresent()) {
        engine.restore(new AlertEngineState(saved.get()));
        log.info(
            "IoT alert engine of tenant {} restored ({} open alerts)",
            tenantId,
            engine.openAlerts().size());
      }
      engines.put(tenantId, engine);
    }
    return engine;
  }

  private static void saveState(
      org.jdbi.v3.core.Handle h, String tenantId, AlertEngineState state, long now) {
    h.createUpdate(
            "INSERT INTO iot_engine_state (tenant_id, state, updated_at) VALUES (:t, :s, :now)"
                + " ON CONFLICT (tenant_id) DO UPDATE SET state = excluded.state,"
                + " updated_at = excluded.updated_at")
        .bind("t", tenantId)
        .bind("s", state.json())
        .bind("now", now)
        .execute();
  }

  /** A device was registered or changed: engines and the cache see it at once. */
  public void devicesChanged(String tenantId) {
    deviceCache.keySet().removeIf(k -> k.startsWith(tenantId + "/"));
    worker.execute(
        () -> {
          AlertEngine engine = engines.get(tenantId);
          if (engine != null) {
            engine.watch(devices.list(tenantId, null));
          }
        });
  }

  /**
   * Tells the tenant's engine an alert was acknowledged or resolved through the API, when the
   * engine holds it (cloud-evaluated alerts), so it does not escalate or re-raise it.
   */
  public Optional<Alert> closeInEngine(
      String tenantId, String alertId, String by, boolean resolve) {
    try {
      return worker
          .submit(
              () -> {
                AlertEngine engine = engines.get(tenantId);
                if (engine == null || engine.find(alertId).isEmpty()) {
                  return Optional.<Alert>empty();
                }
                Instant now = clock.instant();
                AlertEvent ev;
                try {
                  ev =
                      resolve
                          ? engine.resolve(alertId, by, now)
                          : engine.acknowledge(alertId, by, now);
                } catch (UnknownAlertException e) {
                  return Optional.<Alert>empty();
                }
                jdbi.useTransaction(
                    h -> saveState(h, tenantId, engine.snapshot(), now.toEpochMilli()));
                publish(List.of(ev));
                return Optional.of(ev.alert());
              })
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Waits until every message taken so far is stored (tests, shutdown). */
  public void drain() {
    try {
      worker.submit(this::flushSafely).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.shutdownNow();
  }
}
