package dev.olympus.cloud.config;

import dev.olympus.core.config.EntityType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config service: writes through {@link ConfigStore}, then tells the hosts ({@link
 * ServiceHostSockets}) and counts ({@link ConfigMetrics}); runs the compaction job.
 */
public final class ConfigService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigService.class);

  /** Why an admin's full-sync request is pushed. */
  public static final String ADMIN_REQUEST = "admin_request";

  private final ConfigStore store;
  private final HeartbeatStore heartbeats;
  private final ServiceHostSockets sockets;
  private final ConfigMetrics metrics;
  private final ConfigSyncSettings settings;
  private ScheduledExecutorService compactor;

  public ConfigService(
      ConfigStore store,
      HeartbeatStore heartbeats,
      ServiceHostSockets sockets,
      ConfigMetrics metrics,
      ConfigSyncSettings settings) {
    this.store = store;
    this.heartbeats = heartbeats;
    this.sockets = sockets;
    this.metrics = metrics;
    this.settings = settings;
  }

  public ConfigStore store() {
    return store;
  }

  public HeartbeatStore heartbeats() {
    return heartbeats;
  }

  public ServiceHostSockets sockets() {
    return sockets;
  }

  ConfigMetrics metrics() {
    return metrics;
  }

  public ConfigStore.Committed create(
      EntityType type, String id, Map<String, Object> data, String by) {
    return announce(store.create(type, id, data, by));
  }

  public ConfigStore.Committed replace(
      EntityType type, String id, String enterpriseId, Map<String, Object> data, String by) {
    return announce(store.replace(type, id, enterpriseId, data, by));
  }

  public ConfigStore.Committed delete(EntityType type, String id, String enterpriseId, String by) {
    return announce(store.delete(type, id, enterpriseId, by));
  }

  /** Asks the property's host to full-sync: pushed now and answered in its heartbeats. */
  public ConfigStore.PropertyState requestFullSync(
      String propertyId, String enterpriseId, String reason) {
    ConfigStore.PropertyState state = store.requestFullSync(propertyId, enterpriseId, reason);
    log.info("full config sync requested for property {} ({})", propertyId, reason);
    sockets.syncRequired(propertyId, reason);
    return state;
  }

  private ConfigStore.Committed announce(ConfigStore.Committed c) {
    metrics.change(c.entity().entityType());
    for (Map.Entry<String, Long> e : c.versions().entrySet()) {
      if (c.urgentReason().isPresent()) {
        metrics.urgentPush();
        sockets.configUrgent(
            e.getKey(),
            e.getValue(),
            c.entity().entityType(),
            c.entity().id(),
            c.urgentReason().get());
      } else {
        sockets.configUpdated(e.getKey(), e.getValue());
      }
    }
    if (c.featuresChanged()) {
      log.info(
          "full config sync requested for property {} ({})",
          c.entity().id(),
          ConfigStore.FEATURES_CHANGED);
      sockets.syncRequired(c.entity().id(), ConfigStore.FEATURES_CHANGED);
    }
    return c;
  }

  /** Compacts one property by the configured limits. */
  public Optional<ConfigStore.Compaction> compact(String propertyId) {
    Optional<ConfigStore.Compaction> done =
        store.compact(propertyId, settings.keepVersions(), settings.keepAge());
    done.ifPresent(c -> metrics.compacted(c.rowsBefore() - c.rowsAfter()));
    return done;
  }

  /** Compacts every property; what the periodic job runs. */
  public List<ConfigStore.Compaction> compactAll() {
    List<ConfigStore.Compaction> done = new ArrayList<>();
    for (ConfigStore.PropertyState s : store.states()) {
      compact(s.propertyId()).ifPresent(done::add);
    }
    return done;
  }

  /** Starts the periodic compaction job, unless its interval is zero. */
  public void startCompactionJob() {
    long every = settings.compactionInterval().toMillis();
    if (every <= 0) {
      return;
    }
    compactor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "olympus-config-compaction");
              t.setDaemon(true);
              return t;
            });
    compactor.scheduleWithFixedDelay(
        () -> {
          try {
            compactAll();
          } catch (RuntimeException e) {
            log.warn("config compaction failed; it runs again in {} ms", every, e);
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (compactor != null) {
      compactor.shutdownNow();
    }
    sockets.close();
  }
}
