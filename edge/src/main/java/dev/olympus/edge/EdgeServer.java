package dev.olympus.edge;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.auth.PinAuthenticator;
import dev.olympus.edge.auth.PinThrottle;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigEntity;
import dev.olympus.edge.config.ConfigSyncer;
import dev.olympus.edge.config.ServiceHostChannel;
import dev.olympus.edge.inventory.InventoryMovements;
import dev.olympus.edge.inventory.InventoryRoutes;
import dev.olympus.edge.inventory.StockLevels;
import dev.olympus.edge.iot.IotHub;
import dev.olympus.edge.iot.IotRoutes;
import dev.olympus.edge.iot.TelemetryForwarder;
import dev.olympus.edge.kitchen.EscPosTicketEncoder;
import dev.olympus.edge.kitchen.KitchenDispatcher;
import dev.olympus.edge.kitchen.KitchenPrinting;
import dev.olympus.edge.kitchen.PrintQueue;
import dev.olympus.edge.menu.MenuRoutes;
import dev.olympus.edge.menu.MenuService;
import dev.olympus.edge.notify.EdgeRecipients;
import dev.olympus.edge.orders.BusinessDates;
import dev.olympus.edge.orders.OrderRetention;
import dev.olympus.edge.orders.OrderRoutes;
import dev.olympus.edge.orders.OrderService;
import dev.olympus.edge.outbox.OpIds;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.payments.OfflineAuthorizer;
import dev.olympus.edge.payments.PaymentRoutes;
import dev.olympus.edge.payments.PaymentService;
import dev.olympus.edge.payments.PaymentSettings;
import dev.olympus.edge.payments.PaymentSettlements;
import dev.olympus.edge.payments.SettlementQueue;
import dev.olympus.edge.payments.Settler;
import dev.olympus.edge.payments.StripeProcessor;
import dev.olympus.edge.pos.EdgeMetrics;
import dev.olympus.edge.pos.LanApi;
import dev.olympus.edge.pos.LanRoutes;
import dev.olympus.edge.realtime.LanChangeSource;
import dev.olympus.edge.realtime.LanSocketAuthenticator;
import dev.olympus.edge.reports.ReportRoutes;
import dev.olympus.edge.reports.SalesReport;
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
import dev.olympus.edge.tables.TableRoutes;
import dev.olympus.edge.tables.TableStatuses;
import dev.olympus.edge.timeclock.TimePunchRoutes;
import dev.olympus.edge.timeclock.TimePunches;
import dev.olympus.notify.Notifier;
import dev.olympus.notify.NotifySettings;
import dev.olympus.store.Database;
import dev.olympus.web.http.GracefulStop;
import dev.olympus.web.realtime.LocationKey;
import dev.olympus.web.realtime.SyncSocketHub;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running edge: the encrypted local store, the syncer and the LAN API, started together and
 * closed together. {@code EdgeServer.start(settings)} is what {@code olympus edge start}, the demo
 * and the tests use.
 */
public final class EdgeServer implements AutoCloseable {
  /** The longest wait between two attempts of the cloud's WebSocket to reconnect. */
  static final Duration RECONNECT_PROBE_CAP = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

  private final EdgeSettings settings;
  private final Database database;
  private final Syncer syncer;
  private final RecordStore records;
  private final Outbox outbox;
  private final DeviceDirectory devices;
  private final Javalin http;
  private final GracefulStop graceful;
  private final SyncSocketHub hub;
  private final String nodeId;
  private final ConfigSyncer configSyncer;
  private final PinAuthenticator pins;
  private final Settler settler;
  private final SettlementQueue settlements;
  private final KitchenPrinting kitchen;
  private final OrderRetention retention;
  private final Notifier notifier;
  private final Iot iot;

  private EdgeServer(
      EdgeSettings settings,
      Database database,
      Syncer syncer,
      RecordStore records,
      Outbox outbox,
      DeviceDirectory devices,
      Javalin http,
      GracefulStop graceful,
      SyncSocketHub hub,
      String nodeId,
      ConfigSyncer configSyncer,
      PinAuthenticator pins,
      Settler settler,
      SettlementQueue settlements,
      KitchenPrinting kitchen,
      OrderRetention retention,
      Notifier notifier,
      Iot iot) {
    this.settings = settings;
    this.database = database;
    this.syncer = syncer;
    this.records = records;
    this.outbox = outbox;
    this.devices = devices;
    this.http = http;
    this.graceful = graceful;
    this.hub = hub;
    this.nodeId = nodeId;
    this.configSyncer = configSyncer;
    this.pins = pins;
    this.settler = settler;
    this.settlements = settlements;
    this.kitchen = kitchen;
    this.retention = retention;
    this.notifier = notifier;
    this.iot = iot;
  }

  /** Opens the local store and starts syncing and serving the LAN; no alert notifications. */
  public static EdgeServer start(EdgeSettings s) {
    return start(s, NotifySettings.none());
  }

  /**
   * Opens the local store and starts syncing and serving the LAN, and the IoT hub when {@link
   * EdgeSettings#mqttPort()} asks for one; alert notifications go out on {@code notifications}'
   * channels.
   */
  public static EdgeServer start(EdgeSettings s, NotifySettings notifications) {
    Database db = EdgeDatabase.open(s.dataDir(), s.apiKey(), s.locationId());
    Iot iot = null;
    Notifier startedNotifier = null;
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
              // The socket is also the probe that notices the link is back: it retries at most
              // every second, so a day's payments start for the cloud within a second of the
              // link's return, instead of whenever a sync backoff of up to a minute ends.
              new Backoff(Duration.ofMillis(500), RECONNECT_PROBE_CAP, s.random())));
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
      EdgeMetrics metrics =
          new EdgeMetrics(
              syncer,
              s.clock(),
              () -> QueueStatus.read(db.jdbi(), s.locationId(), s.clock().instant()),
              () -> records.countLive(OrderService.COLLECTION));
      OrderRetention retention =
          new OrderRetention(records, db.jdbi(), s.clock(), s.pruneOrdersAfter());
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
                  new LanChangeSource(
                      records,
                      stream,
                      () -> syncer.channel().flatMap(CloudChannel::cloudStream),
                      syncer::lastPulledSeq),
                  new LanSocketAuthenticator(devices, s.apiKey(), nodeId, location))
              .clock(s.clock())
              .meterRegistry(metrics.registry())
              .build();
      ChangeSignal.of(db.jdbi())
          .listen(() -> hub.committed(location.tenantId(), List.of(location.locationId())));
      // Restaurant operations (issue 5): menu, orders, payments, tables, time clock, stock,
      // reports, all on the encrypted local store so they work while the internet is down.
      ConfigCache cache = configSyncer.cache();
      BusinessDates dates = new BusinessDates(cache, s.clock());
      Settler settler = settler(s, db, records);
      if (settler != null) {
        // Card settlements back off while the internet is down; the link's return retries them.
        syncer.onBackOnline(settler::retryNow);
      }
      KitchenPrinting kitchen = KitchenPrinting.start(db.jdbi(), cache, s.clock(), s.random());
      OrderService orders =
          new OrderService(
              records,
              cache,
              dates,
              s.locationId(),
              s.clock(),
              s.random(),
              new KitchenDispatcher(
                  cache,
                  new EscPosTicketEncoder(EscPosTicketEncoder.WIDTH_80MM),
                  s.clock(),
                  dates::zone,
                  kitchen::wake));
      StockLevels stock = new StockLevels(records, cache, s.clock(), s.random());
      syncer.onPulled(stock::pulled);
      PaymentService payments =
          new PaymentService(
              records,
              new OfflineAuthorizer(db.jdbi(), s.payments().policy(), s.clock()),
              cache,
              s.clock(),
              s.random(),
              settler == null ? () -> {} : settler::wake);
      long featureBodyLimit = Math.min(s.maxBodyBytes(), FEATURE_BODY_LIMIT);
      // The IoT hub (issue 6): sensors publish to its MQTT broker; alerts are decided here, offline
      // too, and notified through the notifier; readings are forwarded to the cloud.
      Notifier notifier =
          new Notifier(db.jdbi(), notifications, EdgeRecipients.directory(cache), s.clock());
      // Staff notices (a walk-in door left open) go to every screen of the restaurant on the LAN.
      notifier.addStaffListener(
          notice -> {
            Map<String, Object> frame = new java.util.LinkedHashMap<>();
            frame.put("type", "staff_notice");
            frame.put("notification_id", notice.notificationId());
            frame.put("event", notice.eventKind());
            frame.put("message", notice.message());
            int screens = hub.notice(location, frame);
            log.info("staff notice to {} screen(s): {}", screens, notice.message());
          });
      notifier.start();
      startedNotifier = notifier;
      iot = startIot(s, db, cache, nodeId, notifier, metrics);
      List<LanRoutes> iotRoutes =
          iot == null
              ? List.of()
              : List.of(
                  new IotRoutes(
                      iot.hub(),
                      notifier,
                      () -> cache.enterprise().map(ConfigEntity::id).orElse(null),
                      s.locationId(),
                      s.clock()));
      List<LanRoutes> features =
          concat(
              iotRoutes,
              new MenuRoutes(new MenuService(cache)),
              new OrderRoutes(orders, featureBodyLimit),
              new PaymentRoutes(payments),
              new TableRoutes(new TableStatuses(records, s.clock())),
              new TimePunchRoutes(
                  new TimePunches(records, pins, dates, s.locationId(), s.clock(), s.random())),
              new InventoryRoutes(
                  new InventoryMovements(records, cache, dates, stock, s.clock(), s.random()),
                  stock),
              new ReportRoutes(new SalesReport(records, dates, outbox::size), dates));
      LanApi api =
          new LanApi(
              records,
              devices,
              s.apiKey(),
              () -> QueueStatus.read(db.jdbi(), s.locationId(), s.clock().instant()),
              outbox,
              syncer::requestSync,
              syncer::online,
              metrics,
              s.maxBodyBytes(),
              hub,
              location,
              s.clock(),
              pins,
              configSyncer::status,
              features);
      Javalin http;
      GracefulStop graceful = new GracefulStop();
      try {
        http = api.start(s.host(), s.port(), graceful);
      } catch (RuntimeException e) {
        hub.close();
        pins.close();
        if (settler != null) {
          settler.close();
        }
        kitchen.close();
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
        retention.start();
      }
      if (settler != null) {
        // Card payments settle whether or not record sync runs in the background: the money
        // must not wait on a test switch or a sync problem.
        settler.start(s.payments().settleInterval());
      }
      EdgeServer server =
          new EdgeServer(
              s,
              db,
              syncer,
              records,
              outbox,
              devices,
              http,
              graceful,
              hub,
              nodeId,
              configSyncer,
              pins,
              settler,
              new SettlementQueue(db.jdbi()),
              kitchen,
              retention,
              notifier,
              iot);
      log.info(
          "edge {} of location {} listening on http://{}:{}, syncing with {}",
          nodeId,
          s.locationId(),
          s.host(),
          http.port(),
          s.cloudUrl());
      return server;
    } catch (RuntimeException e) {
      if (iot != null) {
        iot.close();
      }
      if (startedNotifier != null) {
        startedNotifier.close();
      }
      db.close();
      throw e;
    }
  }

  /** The IoT hub and its forwarder to the cloud. */
  private record Iot(IotHub hub, TelemetryForwarder forwarder) implements AutoCloseable {
    @Override
    public void close() {
      forwarder.close();
      hub.close();
    }
  }

  private static Iot startIot(
      EdgeSettings s,
      Database db,
      ConfigCache cache,
      String nodeId,
      Notifier notifier,
      EdgeMetrics metrics) {
    if (s.mqttPort() == EdgeSettings.NO_MQTT) {
      return null;
    }
    IotHub hub =
        IotHub.start(
            s.dataDir(),
            s.host(),
            s.mqttPort(),
            cache,
            s.locationId(),
            s.alerts(),
            event -> notifier.submit(event),
            s.clock(),
            metrics.registry());
    TelemetryForwarder forwarder =
        new TelemetryForwarder(
            hub.store(),
            s.cloudUrl(),
            s.apiKey(),
            nodeId,
            s.clock(),
            Duration.ofSeconds(2),
            s.requestTimeout());
    forwarder.closingAlertsOn(hub);
    if (s.backgroundSync()) {
      forwarder.start();
    }
    return new Iot(hub, forwarder);
  }

  @SafeVarargs
  private static <T> List<T> concat(List<T> first, T... rest) {
    List<T> all = new java.util.ArrayList<>(first);
    all.addAll(List.of(rest));
    return List.copyOf(all);
  }

  /** Request bodies of the operations endpoints: an order of 200 items is well under this. */
  private static final long FEATURE_BODY_LIMIT = 256 * 1024;

  /**
   * The settler of queued card payments, when a Stripe key is provisioned; null otherwise (card
   * payments are still accepted offline and wait in the queue for a key).
   */
  private static Settler settler(EdgeSettings s, Database db, RecordStore records) {
    PaymentSettings p = s.payments();
    if (!p.settles()) {
      log.info(
          "no Stripe key provisioned ({}): card payments are queued but not settled",
          "OLYMPUS_EDGE_STRIPE_KEY");
      return null;
    }
    return new Settler(
        new SettlementQueue(db.jdbi()),
        new StripeProcessor(p.stripeUrl(), p.stripeSecretKey(), s.requestTimeout()),
        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), s.random()),
        s.clock(),
        new PaymentSettlements(records, s.clock()));
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

  /** Card payments waiting for (or done with) settlement. */
  public SettlementQueue settlements() {
    return settlements;
  }

  /** Kitchen tickets waiting for (or sent to) their printers. */
  public PrintQueue printQueue() {
    return kitchen.queue();
  }

  /** The pruning of old synced orders (scheduled when background sync is on). */
  public OrderRetention orderRetention() {
    return retention;
  }

  /** The settler of card payments; empty when no Stripe key is provisioned. */
  public Optional<Settler> settler() {
    return Optional.ofNullable(settler);
  }

  public String nodeId() {
    return nodeId;
  }

  /** The IoT hub, or null when this edge runs without one ({@link EdgeSettings#NO_MQTT}). */
  public IotHub iot() {
    return iot == null ? null : iot.hub();
  }

  /** The hub's MQTT port (the real one when started on port 0); -1 without a hub. */
  public int mqttPort() {
    return iot == null ? -1 : iot.hub().mqttPort();
  }

  /**
   * Forwards the hub's stored readings and alerts to the cloud now (the background forwarder does
   * it every two seconds); empty without a hub.
   */
  public java.util.Optional<TelemetryForwarder.Pass> forwardTelemetryNow() {
    return iot == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(iot.forwarder().forwardAll());
  }

  /** The alert notifications this edge sends, and their log. */
  public Notifier notifier() {
    return notifier;
  }

  public EdgeSettings settings() {
    return settings;
  }

  /** Stops serving and syncing, then closes the database. */
  @Override
  public void close() {
    // The terminals' WebSockets close first, then the LAN requests in flight finish while
    // everything they use is still open.
    hub.close();
    graceful.stop(http);
    if (iot != null) {
      iot.close();
    }
    notifier.close();
    if (settler != null) {
      settler.close();
    }
    kitchen.close();
    retention.close();
    configSyncer.close();
    syncer.close();
    pins.close();
    database.close();
    log.info("edge {} stopped", nodeId);
  }
}
