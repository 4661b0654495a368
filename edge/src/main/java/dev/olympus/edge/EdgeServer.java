package dev.olympus.edge;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.auth.PinAuthenticator;
import dev.olympus.edge.auth.PinThrottle;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigSyncer;
import dev.olympus.edge.config.ServiceHostChannel;
import dev.olympus.edge.outbox.OpIds;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.pos.EdgeMetrics;
import dev.olympus.edge.pos.LanApi;
import dev.olympus.edge.realtime.LanChangeSource;
import dev.olympus.edge.realtime.LanSocketAuthenticator;
import dev.olympus.edge.store.ChangeSignal;
import dev.olympus.edge.store.DeviceDirectory;
import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.store.LanOps;
import dev.olympus.edge.store.RecordStore;
import dev.olympus.edge.store.SyncState;
import dev.olympus.edge.syncer.Backoff;
import dev.olympus.edge.syncer.CloudChannel;
import dev.olympus.edge.syncer.CloudClient;
import dev.olympus.edge.syncer.CloudException;
import dev.olympus.edge.syncer.CycleResult;
import dev.olympus.edge.syncer.QueueStatus;
import dev.olympus.edge.syncer.Syncer;
import dev.olympus.store.Database;
import dev.olympus.web.realtime.LocationKey;
import dev.olympus.web.realtime.SyncSocketHub;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running edge: the encrypted local store, the syncer and the LAN API, started together and
 * closed together. {@code EdgeServer.start(settings)} is what {@code olympus edge start}, the demo
 * and the tests use.
 */
public final class EdgeServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

  private final EdgeSettings settings;
  private final Database database;
  private final Syncer syncer;
  private final RecordStore records;
  private final Outbox outbox;
  private final DeviceDirectory devices;
  private final Javalin http;
  private final SyncSocketHub hub;
  private final String nodeId;
  private final ConfigSyncer configSyncer;
  private final PinAuthenticator pins;

  private EdgeServer(
      EdgeSettings settings,
      Database database,
      Syncer syncer,
      RecordStore records,
      Outbox outbox,
      DeviceDirectory devices,
      Javalin http,
      SyncSocketHub hub,
      String nodeId,
      ConfigSyncer configSyncer,
      PinAuthenticator pins) {
    this.settings = settings;
    this.database = database;
    this.syncer = syncer;
    this.records = records;
    this.outbox = outbox;
    this.devices = devices;
    this.http = http;
    this.hub = hub;
    this.nodeId = nodeId;
    this.configSyncer = configSyncer;
    this.pins = pins;
  }

  /** Opens the local store and starts syncing and serving the LAN. */
  public static EdgeServer start(EdgeSettings s) {
    Database db = EdgeDatabase.open(s.dataDir(), s.apiKey(), s.locationId());
    try {
      SyncState state = new SyncState(db.jdbi());
      String nodeId = nodeId(s, state);
      HybridLogicalClock hlc = new HybridLogicalClock(s.clock(), Duration.ofMinutes(5));
      // Never issue a version below one this edge already wrote, even if the wall clock stepped
      // back while it was down.
      long maxVersion =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT coalesce(max(version), 0) FROM records")
                          .mapTo(Long.class)
                          .one());
      if (maxVersion > 0) {
        hlc.receive(maxVersion);
      }
      AtomicReference<SyncConfig> config = new AtomicReference<>(state.syncConfig());
      Outbox outbox = new Outbox(db.jdbi(), s.clock());
      DeviceDirectory devices = new DeviceDirectory(db.jdbi());
      CloudClient cloud = new CloudClient(s.cloudUrl(), s.apiKey(), s.requestTimeout());
      Syncer syncer =
          new Syncer(
              cloud,
              db.jdbi(),
              outbox,
              state,
              devices,
              hlc,
              nodeId,
              s.clock(),
              new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), s.random()),
              config,
              s.debounce());
      syncer.useChannel(
          new CloudChannel(
              s.cloudUrl(),
              s.apiKey(),
              nodeId,
              s.locationId(),
              syncer::lastPulledSeq,
              syncer::requestSync,
              new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60), s.random())));
      RecordStore records =
          new RecordStore(
              db.jdbi(),
              db.reads(),
              hlc,
              nodeId,
              s.clock(),
              new OpIds(s.clock(), s.random()),
              config::get,
              syncer::onLocalWrite,
              new LanOps(LanOps.Retention.DEFAULT, s.clock()));
      EdgeMetrics metrics = new EdgeMetrics(outbox, syncer, s.clock());
      // The property's config (seed 003): heartbeat, deltas and full syncs into the encrypted
      // cache, pushed changes over /ws/service-host.
      ConfigSyncer configSyncer =
          ConfigSyncer.create(
              db.jdbi(),
              s.cloudUrl(),
              s.apiKey(),
              s.locationId(),
              nodeId,
              s.dataDir(),
              s.clock(),
              s.random(),
              s.requestTimeout(),
              s.heartbeatInterval(),
              s.fullSyncAfter(),
              outbox::size,
              syncer::online,
              metrics.registry());
      configSyncer.useChannel(
          new ServiceHostChannel(
              s.cloudUrl(),
              s.apiKey(),
              nodeId,
              configSyncer,
              new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60), s.random()),
              s.heartbeatInterval()));
      PinAuthenticator pins =
          PinAuthenticator.standard(configSyncer.cache(), PinThrottle.standard(s.clock()));
      // The LAN's /ws/sync serves the edge's own stream, woken by every commit that changed
      // records.
      String stream = "edge:" + nodeId;
      LocationKey location = new LocationKey(stream, s.locationId());
      SyncSocketHub hub =
          SyncSocketHub.builder(
                  "edge",
                  new LanChangeSource(records, stream),
                  new LanSocketAuthenticator(devices, s.apiKey(), nodeId, location))
              .clock(s.clock())
              .meterRegistry(metrics.registry())
              .build();
      ChangeSignal.of(db.jdbi())
          .listen(() -> hub.committed(location.tenantId(), List.of(location.locationId())));
      LanApi api =
          new LanApi(
              records,
              devices,
              s.apiKey(),
              () -> QueueStatus.read(db.jdbi(), s.locationId(), s.clock().instant()),
              syncer::requestSync,
              syncer::online,
              metrics,
              s.maxBodyBytes(),
              hub,
              location,
              s.clock(),
              pins,
              configSyncer::status);
      Javalin http;
      try {
        http = api.start(s.host(), s.port());
      } catch (RuntimeException e) {
        hub.close();
        pins.close();
        throw new IllegalStateException(
            "cannot listen on "
                + s.host()
                + ":"
                + s.port()
                + " ("
                + e.getMessage()
                + "): is another edge running? Pick another port with --port",
            e);
      }
      if (s.backgroundSync()) {
        syncer.start();
        configSyncer.start();
      }
      EdgeServer server =
          new EdgeServer(
              s, db, syncer, records, outbox, devices, http, hub, nodeId, configSyncer, pins);
      log.info(
          "edge {} of location {} listening on http://{}:{}, syncing with {}",
          nodeId,
          s.locationId(),
          s.host(),
          http.port(),
          s.cloudUrl());
      return server;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static String nodeId(EdgeSettings s, SyncState state) {
    String id =
        s.deviceId() != null
            ? s.deviceId()
            : state.get(SyncState.NODE_ID).orElse("edge-" + s.locationId());
    state.put(SyncState.NODE_ID, id);
    return id;
  }

  /** The LAN's {@code /ws/sync}: its connections, for status and tests. */
  public SyncSocketHub hub() {
    return hub;
  }

  /** The LAN port (the real one when started on port 0). */
  public int port() {
    return http.port();
  }

  /** Runs a sync cycle now and waits for it. */
  public CycleResult syncNow() throws CloudException {
    return syncer.syncNow();
  }

  /** Asks the background syncer for a cycle as soon as possible. */
  public void requestSync() {
    syncer.requestSync();
  }

  /** The sync queue panel's data, read now. */
  public QueueStatus status() {
    return QueueStatus.read(database.jdbi(), settings.locationId(), settings.clock().instant());
  }

  /** The local records, as the LAN API reads and writes them. */
  public RecordStore records() {
    return records;
  }

  /** The location's devices known locally (tokens verified offline). */
  public DeviceDirectory devices() {
    return devices;
  }

  public Outbox outbox() {
    return outbox;
  }

  public Syncer syncer() {
    return syncer;
  }

  /** The config sync (heartbeat, deltas, full syncs) and its cache. */
  public ConfigSyncer configSyncer() {
    return configSyncer;
  }

  /** The property's config as last synced: menu, employees, taxes, tenders, devices, … */
  public ConfigCache config() {
    return configSyncer.cache();
  }

  public String nodeId() {
    return nodeId;
  }

  public EdgeSettings settings() {
    return settings;
  }

  /** Stops serving and syncing, then closes the database. */
  @Override
  public void close() {
    hub.close();
    http.stop();
    configSyncer.close();
    syncer.close();
    pins.close();
    database.close();
    log.info("edge {} stopped", nodeId);
  }
}
