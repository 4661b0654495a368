package dev.olympus.edge.config;

import dev.olympus.core.config.DeltaSyncPayload;
import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.edge.syncer.Backoff;
import dev.olympus.edge.syncer.CloudException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Keeps the property's config cache in step with the cloud (seed 003's sync manager). A heartbeat
 * every {@code heartbeatInterval} reports the box's health and learns the cloud's config version;
 * the {@code /ws/service-host} channel announces changes as they happen. Either asks for a sync,
 * which one worker thread runs, one at a time, coalescing requests that arrive meanwhile:
 *
 * <ul>
 *   <li>a delta when the cloud's version moved;
 *   <li>a full sync on first boot (empty cache), when the last sync is older than {@code
 *       fullSyncAfter}, when the cloud answers that the gap is too large, on a version conflict,
 *       when a delta does not start at the cache's version, and when the cloud asks for one.
 * </ul>
 *
 * Network failures retry with exponential backoff and jitter, {@value #MAX_RETRIES} times; then an
 * ALERT is logged, the status turns to error and the sync is retried every heartbeat interval. An
 * invalid answer is logged and skipped until the next heartbeat. A sync is applied in one local
 * transaction ({@link ConfigApplier}): whatever fails, the old config keeps serving.
 */
public final class ConfigSyncer implements ServiceHostChannel.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigSyncer.class);

  /** Retries of a failed sync before the ALERT (seed 003: "max 5 retries, then alert"). */
  static final int MAX_RETRIES = 5;

  /** How often a heartbeat that finds the cache current refreshes its last-sync time at most. */
  private static final Duration CONFIRM_EVERY = Duration.ofMinutes(10);

  private final ConfigClient client;
  private final ConfigApplier applier;
  private final ConfigCache cache;
  private final String deviceId;
  private final Clock clock;
  private final Backoff backoff;
  private final Duration heartbeatInterval;
  private final Duration fullSyncAfter;
  private final HostHealth health;
  private final LongSupplier pendingTransactions;
  private final BooleanSupplier recordSyncOnline;
  private final MeterRegistry registry;

  private final ReentrantLock syncLock = new ReentrantLock();
  private final ReentrantLock scheduleLock = new ReentrantLock();
  private final Condition scheduleChanged = scheduleLock.newCondition();
  // Guarded by scheduleLock: the sync the worker runs next, and not before when.
  private SyncKind wanted;
  private long notBeforeNanos;

  private final AtomicLong localVersion = new AtomicLong();
  private final AtomicLong cloudVersion = new AtomicLong(-1);
  private final AtomicLong consecutiveFailures = new AtomicLong();
  private final AtomicLong heartbeats = new AtomicLong();
  private final AtomicLong deltaSyncs = new AtomicLong();
  private final AtomicLong fullSyncs = new AtomicLong();
  private final ConcurrentHashMap<String, Counter> syncCounters = new ConcurrentHashMap<>();
  private volatile boolean syncing;
  private volatile SyncKind lastKind = SyncKind.DELTA; // what the last sync turned out to be
  private volatile boolean
      failing; // retries exhausted, or a sync rolled back, since the last success
  private volatile String lastError;
  private volatile boolean cloudReachable = true;
  private volatile boolean heartbeatUnsupportedLogged;
  private volatile long lastConfirmMillis;
  private volatile boolean closed;
  private volatile ServiceHostChannel channel;
  private Thread worker;
  private Thread heartbeat;

  /**
   * @param deviceId the edge's device id, the {@code {id}} of its heartbeat
   * @param backoff waits between retries of a failed sync
   * @param pendingTransactions the outbox's pending count, reported in each heartbeat
   * @param recordSyncOnline whether the record syncer reaches the cloud: the reported connection
   *     mode
   */
  ConfigSyncer(
      ConfigClient client,
      ConfigApplier applier,
      ConfigCache cache,
      String deviceId,
      Clock clock,
      Backoff backoff,
      Duration heartbeatInterval,
      Duration fullSyncAfter,
      HostHealth health,
      LongSupplier pendingTransactions,
      BooleanSupplier recordSyncOnline,
      MeterRegistry registry) {
    this.client = client;
    this.applier = applier;
    this.cache = cache;
    this.deviceId = deviceId;
    this.clock = clock;
    this.backoff = backoff;
    this.heartbeatInterval = heartbeatInterval;
    this.fullSyncAfter = fullSyncAfter;
    this.health = health;
    this.pendingTransactions = pendingTransactions;
    this.recordSyncOnline = recordSyncOnline;
    this.registry = registry;
    Optional<ConfigSyncState> state = cache.state();
    localVersion.set(state.map(ConfigSyncState::version).orElse(0L));
    failing = state.map(ConfigSyncState::status).orElse(null) == SyncStatus.ERROR;
    Gauge.builder("edge.config.version", localVersion, AtomicLong::get)
        .description("the config version the edge's cache holds")
        .register(registry);
    Gauge.builder("edge.config.consecutive.failures", consecutiveFailures, AtomicLong::get)
        .description("config sync attempts that failed in a row")
        .register(registry);
  }

  /** A config syncer for a running edge. */
  public static ConfigSyncer create(
      org.jdbi.v3.core.Jdbi jdbi,
      java.net.URI cloudUrl,
      String apiKey,
      String propertyId,
      String deviceId,
      java.nio.file.Path dataDir,
      Clock clock,
      java.util.Random random,
      Duration requestTimeout,
      Duration heartbeatInterval,
      Duration fullSyncAfter,
      LongSupplier pendingTransactions,
      BooleanSupplier recordSyncOnline,
      MeterRegistry registry) {
    return new ConfigSyncer(
        new ConfigClient(cloudUrl, apiKey, requestTimeout),
        new ConfigApplier(jdbi, propertyId, clock),
        new ConfigCache(jdbi),
        deviceId,
        clock,
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random),
        heartbeatInterval,
        fullSyncAfter,
        new HostHealth(dataDir),
        pendingTransactions,
        recordSyncOnline,
        registry);
  }

  /** Listens to the cloud's {@code /ws/service-host}; started and closed with this syncer. */
  public void useChannel(ServiceHostChannel serviceHostChannel) {
    channel = serviceHostChannel;
  }

  public Optional<ServiceHostChannel> channel() {
    return Optional.ofNullable(channel);
  }

  /** Starts the heartbeat, the sync worker and the channel; syncs at once (first boot: in full). */
  public synchronized void start() {
    if (worker != null) {
      return;
    }
    requestSync(SyncKind.DELTA);
    worker = Thread.ofPlatform().daemon().name("edge-config-sync").start(this::runWorker);
    heartbeat = Thread.ofPlatform().daemon().name("edge-heartbeat").start(this::runHeartbeat);
    if (channel != null) {
      channel.start();
    }
  }

  /** Asks the worker for a sync as soon as possible; a full request outranks a delta. */
  public void requestSync(SyncKind kind) {
    schedule(kind, 0);
  }

  private void schedule(SyncKind kind, long delayNanos) {
    scheduleLock.lock();
    try {
      long at = System.nanoTime() + delayNanos;
      if (wanted == null) {
        wanted = kind;
        notBeforeNanos = at;
      } else {
        if (kind == SyncKind.FULL) {
          wanted = SyncKind.FULL;
        }
        if (at - notBeforeNanos < 0) {
          notBeforeNanos = at;
        }
      }
      scheduleChanged.signalAll();
    } finally {
      scheduleLock.unlock();
    }
  }

  /**
   * Runs a sync now and waits for it; a {@code DELTA} turns into a full sync where the rules above
   * say so.
   *
   * @throws CloudException when the cloud cannot be reached or fails (5xx)
   * @throws InvalidResponseException when its answer is not what the protocol promises
   * @throws ConfigApplier.ApplyException when the answer cannot be applied (nothing was)
   */
  public SyncOutcome syncNow(SyncKind requested) throws CloudException, InvalidResponseException {
    syncLock.lock();
    try {
      return runSync(requested);
    } finally {
      syncLock.unlock();
    }
  }

  /** Sends one heartbeat now; returns whether the cloud answered. */
  public boolean heartbeatNow() {
    HostHealth.Sample h = health.sample();
    ConfigClient.Heartbeat beat =
        new ConfigClient.Heartbeat(
            h.cpuPercent(),
            h.memoryPercent(),
            h.diskPercent(),
            recordSyncOnline.getAsBoolean() ? "online" : "offline",
            pendingTransactions.getAsLong(),
            localVersion.get());
    try {
      ConfigClient.HeartbeatAnswer answer = client.heartbeat(deviceId, beat);
      heartbeats.incrementAndGet();
      reachable();
      cloudVersion.set(answer.configVersion());
      long local = localVersion.get();
      // The action answers the version this heartbeat reported; a sync that finished meanwhile
      // (the first boot's full sync, typically) may have answered it already.
      boolean stillAsReported = local == beat.configVersion();
      if ("full_sync".equals(answer.action()) && stillAsReported && local > 0) {
        requestSync(SyncKind.FULL);
      } else if (answer.configVersion() > local
          || ("delta_sync".equals(answer.action()) && stillAsReported)
          || ("full_sync".equals(answer.action()) && stillAsReported)) {
        // With an empty cache a delta request is a full sync anyway (see runSync).
        requestSync(SyncKind.DELTA);
      } else if (answer.configVersion() == local) {
        confirmCurrent(answer.configVersion());
      }
      return true;
    } catch (CloudException e) {
      unreachable(e);
      return false;
    } catch (InvalidResponseException e) {
      if (e.status() == 404) {
        if (!heartbeatUnsupportedLogged) {
          heartbeatUnsupportedLogged = true;
          log.info(
              "the cloud has no service-host heartbeat ({}); config changes arrive over the"
                  + " channel only",
              e.getMessage());
        }
      } else {
        log.warn("heartbeat answer skipped: {}", e.getMessage());
      }
      return false;
    }
  }

  /** The cache's state as this syncer sees it now. */
  public ConfigStatus status() {
    Optional<ConfigSyncState> s = cache.state();
    long cloud = cloudVersion.get();
    return new ConfigStatus(
        s.map(ConfigSyncState::propertyId).orElse(null),
        s.map(ConfigSyncState::version).orElse(0L),
        cloud < 0 ? null : cloud,
        s.map(ConfigSyncState::lastSyncAt).orElse(null),
        s.map(ConfigSyncState::lastFullSyncAt).orElse(null),
        syncing
            ? SyncStatus.SYNCING
            : failing
                ? SyncStatus.ERROR
                : s.map(ConfigSyncState::status).orElse(SyncStatus.SYNCING),
        consecutiveFailures.get(),
        lastError);
  }

  /** The config version the cache holds. */
  public long version() {
    return localVersion.get();
  }

  /** Syncs of {@code kind} that succeeded since start. */
  public long syncs(SyncKind kind) {
    return (kind == SyncKind.FULL ? fullSyncs : deltaSyncs).get();
  }

  /** Heartbeats the cloud answered. */
  public long heartbeats() {
    return heartbeats.get();
  }

  /** The cache this syncer fills. */
  public ConfigCache cache() {
    return cache;
  }

  // ServiceHostChannel.Listener: called on the channel's threads, so only schedule.

  @Override
  public void onConfigChanged(long version, boolean urgent) {
    if (version > cloudVersion.get()) {
      cloudVersion.set(version);
    }
    // A cache past the full-sync age gets its full sync on reconnecting even when the version
    // did not move (runSync decides the kind).
    if (version < 0 || version > localVersion.get() || pastFullSyncAge()) {
      requestSync(SyncKind.DELTA);
    }
  }

  private boolean pastFullSyncAge() {
    return lastSyncAt()
        .map(t -> Duration.between(t, clock.instant()).compareTo(fullSyncAfter) > 0)
        .orElse(true);
  }

  @Override
  public void onFullSyncRequired(String reason) {
    log.info("the cloud asks for a full config sync: {}", reason);
    requestSync(SyncKind.FULL);
  }

  private SyncOutcome runSync(SyncKind requested) throws CloudException, InvalidResponseException {
    long start = System.nanoTime();
    syncing = true;
    Optional<ConfigSyncState> local = cache.state();
    long from = local.map(ConfigSyncState::version).orElse(0L);
    String reason = requested == SyncKind.FULL ? "requested" : null;
    if (local.isEmpty()) {
      reason = "first boot: no local config";
    } else if (Duration.between(local.get().lastSyncAt(), clock.instant()).compareTo(fullSyncAfter)
        > 0) {
      reason =
          "last sync "
              + human(Duration.between(local.get().lastSyncAt(), clock.instant()))
              + " ago (over "
              + human(fullSyncAfter)
              + ")";
    }
    SyncKind kind = reason == null ? SyncKind.DELTA : SyncKind.FULL;
    lastKind = kind;
    try {
      if (kind == SyncKind.DELTA) {
        try {
          DeltaSyncPayload d = client.delta(from);
          if (d.fullSyncRequired()) {
            reason = "the cloud requires it (" + d.reason() + ")";
          } else {
            try {
              long applyStart = System.nanoTime();
              ConfigSyncState after = applier.applyDelta(d);
              return succeeded(
                  new SyncOutcome(
                      SyncKind.DELTA,
                      from,
                      after.version(),
                      d.changes().size(),
                      ms(start),
                      ms(applyStart),
                      null));
            } catch (ConfigApplier.VersionMismatchException e) {
              reason = "delta does not fit: " + e.getMessage();
            }
          }
        } catch (CloudException e) {
          if (e.status() != 409) {
            throw e;
          }
          reason = "version conflict: " + e.getMessage();
        }
        kind = SyncKind.FULL;
        lastKind = kind;
      }
      FullSyncPayload p = client.full();
      long applyStart = System.nanoTime();
      ConfigSyncState after = applier.applyFull(p);
      return succeeded(
          new SyncOutcome(
              SyncKind.FULL, from, after.version(), size(p), ms(start), ms(applyStart), reason));
    } catch (CloudException | InvalidResponseException | RuntimeException e) {
      count(
          kind,
          e instanceof CloudException
              ? "error"
              : e instanceof InvalidResponseException ? "invalid" : "rolled_back");
      lastError = e.getMessage();
      throw e;
    } finally {
      syncing = false;
    }
  }

  private SyncOutcome succeeded(SyncOutcome o) {
    localVersion.set(o.toVersion());
    if (o.toVersion() > cloudVersion.get()) {
      cloudVersion.set(o.toVersion());
    }
    long n = consecutiveFailures.getAndSet(0);
    failing = false;
    lastError = null;
    lastConfirmMillis = clock.millis();
    count(o.kind(), "ok");
    (o.kind() == SyncKind.FULL ? fullSyncs : deltaSyncs).incrementAndGet();
    // Routine empty deltas (a channel reconnect, say) are DEBUG; every sync that changed the cache
    // is one INFO line.
    boolean quiet =
        o.kind() == SyncKind.DELTA && o.changes() == 0 && o.fromVersion() == o.toVersion();
    log.atLevel(quiet ? Level.DEBUG : Level.INFO)
        .log(
            "config sync {}: version {} → {}, {} {} in {} ms ({} ms applying){}{}",
            o.kind().wireName(),
            o.fromVersion(),
            o.toVersion(),
            o.changes(),
            o.kind() == SyncKind.FULL ? "entities" : "changes",
            o.millis(),
            o.applyMillis(),
            o.reason() == null ? "" : " (" + o.reason() + ")",
            n > 0 ? " after " + n + " failed attempts" : "");
    return o;
  }

  private void runWorker() {
    while (!closed) {
      SyncKind kind;
      scheduleLock.lock();
      try {
        while (!closed) {
          if (wanted != null) {
            long wait = notBeforeNanos - System.nanoTime();
            if (wait <= 0) {
              break;
            }
            scheduleChanged.awaitNanos(wait);
          } else {
            scheduleChanged.await();
          }
        }
        if (closed) {
          return;
        }
        kind = wanted;
        wanted = null;
      } catch (InterruptedException e) {
        return;
      } finally {
        scheduleLock.unlock();
      }
      attempt(kind);
    }
  }

  /** Runs one requested sync and decides what comes after a failure. */
  private void attempt(SyncKind requested) {
    try {
      syncNow(requested);
    } catch (CloudException e) {
      // Retry what the sync turned out to be: a first boot's delta request is a full sync.
      SyncKind kind = lastKind;
      if (closed) {
        return;
      }
      long n = consecutiveFailures.incrementAndGet();
      if (n <= MAX_RETRIES) {
        Duration wait = backoff.delay(n);
        log.atLevel(e.unreachable() && !cloudReachable ? Level.DEBUG : Level.WARN)
            .log(
                "config sync ({}) failed: {}; retry {} of {} in {} ms",
                kind.wireName(),
                e.getMessage(),
                n,
                MAX_RETRIES,
                wait.toMillis());
        schedule(kind, wait.toNanos());
        return;
      }
      if (n == MAX_RETRIES + 1) {
        failing = true;
        markStatus(SyncStatus.ERROR);
        log.error(
            "ALERT: config sync ({}) failed {} times in a row ({} retries with backoff); last"
                + " error: {}. The edge serves config version {}; it retries every {}. Check"
                + " the link to the cloud and the cloud's health.",
            kind.wireName(),
            n,
            MAX_RETRIES,
            e.getMessage(),
            localVersion.get(),
            human(heartbeatInterval));
      } else {
        log.debug("config sync ({}) still failing ({} in a row): {}", kind, n, e.getMessage());
      }
      schedule(kind, heartbeatInterval.toNanos());
    } catch (InvalidResponseException e) {
      log.warn(
          "config sync ({}) skipped until the next heartbeat: {}",
          lastKind.wireName(),
          e.getMessage());
    } catch (RuntimeException e) {
      // The transaction rolled back: the old config still serves. A full sync rebuilds the cache
      // from scratch, which also gets past a delta that cannot be applied on top of it.
      failing = true;
      markStatus(SyncStatus.ERROR);
      log.error(
          "ALERT: config sync ({}) could not be applied and was rolled back; the edge keeps"
              + " serving config version {}; a full sync follows in {}: {}",
          lastKind.wireName(),
          localVersion.get(),
          human(heartbeatInterval),
          e.toString());
      schedule(SyncKind.FULL, heartbeatInterval.toNanos());
    }
  }

  private void markStatus(SyncStatus s) {
    try {
      applier.markStatus(s);
    } catch (RuntimeException e) {
      log.warn("cannot store the config sync status {}: {}", s.wireName(), e.toString());
    }
  }

  private void runHeartbeat() {
    while (!closed) {
      try {
        heartbeatNow();
      } catch (RuntimeException e) {
        log.warn("heartbeat failed on a local error: {}", e.toString());
      }
      try {
        Thread.sleep(heartbeatInterval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * The cloud says the cache is current: refresh its last-sync time now and then, so that an edge
   * whose config simply did not change for a day is not taken for one that was offline for a day. A
   * cache already past the full-sync age is not refreshed: it gets its full sync.
   */
  private void confirmCurrent(long version) {
    long now = clock.millis();
    if (now - lastConfirmMillis < CONFIRM_EVERY.toMillis()) {
      return;
    }
    Optional<Instant> last = lastSyncAt();
    if (last.isEmpty()) {
      return;
    }
    if (Duration.between(last.get(), clock.instant()).compareTo(fullSyncAfter) > 0) {
      // runSync decides again with a fresh read: a full sync may have finished meanwhile.
      requestSync(SyncKind.DELTA);
      return;
    }
    try {
      applier.confirmCurrent(version);
      lastConfirmMillis = now;
    } catch (RuntimeException e) {
      log.warn("cannot record that config version {} is current: {}", version, e.toString());
    }
  }

  private void reachable() {
    if (!cloudReachable) {
      cloudReachable = true;
      log.info("heartbeat: the cloud answers again");
    }
  }

  private void unreachable(CloudException e) {
    if (cloudReachable) {
      cloudReachable = false;
      // One line when the heartbeat stops getting through; the rest of the outage is quiet.
      log.warn("heartbeat failed, the edge carries on offline: {}", e.getMessage());
    } else {
      log.debug("heartbeat failed: {}", e.getMessage());
    }
  }

  private void count(SyncKind kind, String result) {
    syncCounters
        .computeIfAbsent(
            kind.wireName() + "/" + result,
            k ->
                Counter.builder("edge.config.syncs")
                    .description("config syncs by kind and result")
                    .tag("kind", kind.wireName())
                    .tag("result", result)
                    .register(registry))
        .increment();
  }

  private static int size(FullSyncPayload p) {
    int n = 2; // the enterprise and the property
    for (var rows : p.entities().values()) {
      n += rows.size();
    }
    return n;
  }

  private static long ms(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  static String human(Duration d) {
    if (d.toMillis() < 1_000) {
      return d.toMillis() + " ms";
    }
    long s = d.toSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return (s / 60) + " min";
    }
    return (s / 3600) + " h";
  }

  /** When the cache was last confirmed current, for tests of the 24 h rule. */
  Optional<Instant> lastSyncAt() {
    return cache.state().map(ConfigSyncState::lastSyncAt);
  }

  @Override
  public void close() {
    closed = true;
    if (channel != null) {
      channel.close();
    }
    scheduleLock.lock();
    try {
      scheduleChanged.signalAll();
    } finally {
      scheduleLock.unlock();
    }
    for (Thread t : new Thread[] {heartbeat, worker}) {
      if (t != null) {
        t.interrupt();
      }
    }
    for (Thread t : new Thread[] {heartbeat, worker}) {
      if (t != null) {
        try {
          t.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
