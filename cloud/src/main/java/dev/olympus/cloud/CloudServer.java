package dev.olympus.cloud;

import dev.olympus.cloud.admin.AdminRoutes;
import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.auth.AdminTokenFile;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.auth.DeviceRegistry;
import dev.olympus.cloud.auth.DeviceTokens;
import dev.olympus.cloud.config.ConfigAdminRoutes;
import dev.olympus.cloud.config.ConfigMetrics;
import dev.olympus.cloud.config.ConfigService;
import dev.olympus.cloud.config.ConfigStore;
import dev.olympus.cloud.config.ConfigSyncRoutes;
import dev.olympus.cloud.config.HeartbeatStore;
import dev.olympus.cloud.config.ServiceHostSockets;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Responses;
import dev.olympus.cloud.iot.AlertListener;
import dev.olympus.cloud.iot.IotGateway;
import dev.olympus.cloud.notify.CloudRecipients;
import dev.olympus.cloud.notify.NotificationRoutes;
import dev.olympus.cloud.realtime.CloudRealtime;
import dev.olympus.cloud.records.RecordRoutes;
import dev.olympus.cloud.sync.ChangeNotifier;
import dev.olympus.cloud.sync.ConflictLog;
import dev.olympus.cloud.sync.ReviewQueue;
import dev.olympus.cloud.sync.SyncMetrics;
import dev.olympus.cloud.sync.SyncRoutes;
import dev.olympus.cloud.sync.SyncStatusStore;
import dev.olympus.cloud.sync.SyncStore;
import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.conflict.ChangeApplier;
import dev.olympus.core.sync.ApiError;
import dev.olympus.notify.Notifier;
import dev.olympus.store.Database;
import dev.olympus.web.http.GracefulStop;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.AbstractConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cloud service: opens the database, wires the features and serves HTTP. */
public final class CloudServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CloudServer.class);
  private static final long IDLE_TIMEOUT_MILLIS = 120_000;

  private final Javalin app;
  private final Database db;
  private final String adminToken;
  private final SyncStore syncStore;
  private final Directory directory;
  private final CloudRealtime realtime;
  private final ConfigService config;
  private final IotGateway iot;
  private final Notifier notifier;
  private final ChangeNotifier changes;
  private final GracefulStop graceful;

  private CloudServer(
      Javalin app,
      Database db,
      String adminToken,
      SyncStore syncStore,
      Directory directory,
      CloudRealtime realtime,
      ConfigService config,
      IotGateway iot,
      Notifier notifier,
      ChangeNotifier changes,
      GracefulStop graceful) {
    this.app = app;
    this.changes = changes;
    this.graceful = graceful;
    this.notifier = notifier;
    this.iot = iot;
    this.config = config;
    this.realtime = realtime;
    this.db = db;
    this.adminToken = adminToken;
    this.syncStore = syncStore;
    this.directory = directory;
  }

  /** Starts the cloud; {@link #port()} tells where it listens. */
  public static CloudServer start(CloudSettings settings) {
    return start(settings, AlertListener.NONE);
  }

  /**
   * Starts the cloud with {@code alerts} hearing every alert event of the cloud's own IoT alert
   * engine (the notifications).
   */
  public static CloudServer start(CloudSettings settings, AlertListener alerts) {
    try {
      Files.createDirectories(settings.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the data dir " + settings.dataDir() + ": " + e.getMessage(), e);
    }
    Database db =
        settings.dbUrl() == null
            ? Database.sqlite(settings.dataDir().resolve("cloud.db"), Database.LARGE_PAGES)
            : Database.fromUrl(settings.dbUrl(), Database.LARGE_PAGES);
    CloudRealtime realtime = null;
    ConfigService configService = null;
    IotGateway iotGateway = null;
    Notifier alertNotifier = null;
    try {
      db.migrate("db/cloud");
      String adminToken =
          AdminTokenFile.resolve(settings.adminToken(), settings.dataDir(), new SecureRandom());
      var clock = settings.clock();
      var hlc = new HybridLogicalClock(clock, Duration.ofMinutes(5));
      var applier = new ChangeApplier(hlc, "cloud", ChangeApplier.builtInResolvers());
      var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      var directory = new Directory(db.jdbi(), clock);
      var devices = new DeviceRegistry(db.jdbi(), clock);
      var auth = new Authenticator(adminToken, devices, clock);
      var notifier = new ChangeNotifier();
      var store =
          new SyncStore(
              db.jdbi(),
              db.reads(),
              directory,
              applier,
              notifier,
              new SyncMetrics(registry),
              clock);
      var status = new SyncStatusStore(db.jdbi(), clock);
      var review = new ReviewQueue(db.jdbi(), store, clock);
      var conflicts = new ConflictLog(db.jdbi());
      var bodies = new Bodies(settings.maxBodyBytes());
      var syncRoutes = new SyncRoutes(auth, bodies, store, directory, status, notifier);
      var recordRoutes = new RecordRoutes(auth, bodies, store, directory, hlc);
      var live =
          CloudRealtime.create(
              store,
              devices,
              adminToken,
              auth,
              directory,
              notifier,
              registry,
              clock,
              settings.realtimeHeartbeat());
      realtime = live;
      var configSync = settings.configSync();
      var configStore = new ConfigStore(db.jdbi(), clock);
      var config =
          new ConfigService(
              configStore,
              new HeartbeatStore(
                  db.jdbi(), clock, configSync.metricsRetention(), configSync.metricsRowsPerHost()),
              new ServiceHostSockets(
                  devices,
                  configStore,
                  clock,
                  configSync.pushDebounce(),
                  configSync.socketHeartbeat()),
              new ConfigMetrics(registry),
              configSync);
      configService = config;
      var configAdminRoutes = new ConfigAdminRoutes(auth, bodies, config, directory);
      var configSyncRoutes = new ConfigSyncRoutes(auth, bodies, config);
      var adminRoutes =
          new AdminRoutes(
              auth,
              bodies,
              directory,
              devices,
              new DeviceTokens(new SecureRandom()),
              store,
              review,
              conflicts,
              applier,
              hlc);
      // Alerts the cloud detects itself (sensors on its MQTT broker) are notified from here; those
      // an
      // edge forwards were notified by that edge (decision 018).
      var notifications =
          new Notifier(
              db.jdbi(), settings.notifications(), CloudRecipients.directory(db.jdbi()), clock);
      alertNotifier = notifications;
      notifications.start();
      AlertListener toldOfAlerts =
          event -> {
            notifications.submit(event);
            alerts.onAlert(event);
          };
      var notificationRoutes = new NotificationRoutes(auth, directory, notifications);
      var iot =
          IotGateway.create(
              db.jdbi(),
              settings.iot(),
              auth,
              bodies,
              directory,
              config,
              registry,
              clock,
              toldOfAlerts);
      iotGateway = iot;
      iot.useBrokerDir(settings.dataDir().resolve("mqtt")).start();
      GracefulStop graceful = new GracefulStop();
      Javalin app =
          Javalin.create(
              javalin -> {
                javalin.concurrency.useVirtualThreads = true;
                javalin.startup.showJavalinBanner = false;
                javalin.startup.showOldJavalinVersionWarning = false;
                graceful.install(javalin);
                javalin.http.maxRequestSize = settings.maxBodyBytes();
                javalin.jetty.host = settings.host();
                javalin.jetty.port = settings.port();
                var routes = javalin.routes;
                routes.exception(
                    ApiException.class, (e, ctx) -> Responses.json(ctx, e.status(), e.error()));
                routes.exception(
                    HttpResponseException.class,
                    (e, ctx) ->
                        Responses.json(
                            ctx,
                            e.getStatus(),
                            ApiError.of(
                                e.getStatus() == 413 ? "body_too_large" : "http_" + e.getStatus(),
                                e.getMessage())));
                routes.exception(
                    Exception.class,
                    (e, ctx) -> {
                      log.error("{} {} failed", ctx.method(), ctx.path(), e);
                      Responses.json(
                          ctx,
                          500,
                          ApiError.of(
                              "internal",
                              "the cloud failed on this request (a bug, see its log): "
                                  + e.getClass().getSimpleName()));
                    });
                routes.error(
                    404,
                    ctx -> {
                      if (ctx.result() == null || ctx.result().isEmpty()) {
                        Responses.json(
                            ctx,
                            404,
                            ApiError.of(
                                "not_found", "no endpoint " + ctx.method() + " " + ctx.path()));
                      }
                    });
                routes.error(
                    405,
                    ctx -> {
                      if (ctx.result() == null || ctx.result().isEmpty()) {
                        Responses.json(
                            ctx,
                            405,
                            ApiError.of(
                                "method_not_allowed",
                                ctx.method() + " is not allowed on " + ctx.path()));
                      }
                    });
                routes.get(
                    "/api/health",
                    ctx -> {
                      Map<String, Object> health = new LinkedHashMap<>();
                      health.put("status", "ok");
                      health.put("timestamp", Instant.now(clock).toString());
                      health.put("connectedRestaurants", live.connectedRestaurants());
                      health.put("totalConnections", live.totalConnections());
                      health.put("service", "cloud");
                      health.put("database", db.dialect().folder());
                      health.put("time", Instant.now(clock).toString());
                      Responses.json(ctx, 200, health);
                    });
                routes.get(
                    "/metrics",
                    ctx -> {
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
                      ctx.result(registry.scrape());
                    });
                adminRoutes.register(routes);
                syncRoutes.register(routes);
                recordRoutes.register(routes);
                configAdminRoutes.register(routes);
                configSyncRoutes.register(routes);
                iot.routes().register(routes);
                notificationRoutes.register(routes);
                config.sockets().register(javalin);
                live.register(javalin);
              });
      app.start();
      // Long polls wait up to a minute without a byte on the wire; Jetty's default 30 s idle
      // timeout would cut them.
      for (var connector : app.jettyServer().server().getConnectors()) {
        if (connector instanceof AbstractConnector c) {
          c.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        }
      }
      config.startCompactionJob();
      return new CloudServer(
          app,
          db,
          adminToken,
          store,
          directory,
          live,
          config,
          iot,
          notifications,
          notifier,
          graceful);
    } catch (RuntimeException e) {
      if (iotGateway != null) {
        iotGateway.close();
      }
      if (alertNotifier != null) {
        alertNotifier.close();
      }
      if (configService != null) {
        configService.close();
      }
      if (realtime != null) {
        realtime.close();
      }
      db.close();
      throw e;
    }
  }

  public int port() {
    return app.port();
  }

  public String adminToken() {
    return adminToken;
  }

  /** The change log, for in-process callers (benchmarks, the demo). */
  public SyncStore syncStore() {
    return syncStore;
  }

  public Directory directory() {
    return directory;
  }

  public Database database() {
    return db;
  }

  /** The config sync service, for in-process callers (tests run its compaction). */
  public ConfigService config() {
    return config;
  }

  /** The IoT gateway, for in-process callers (tests run its retention). */
  /** The alert notifications the cloud sends, and their log. */
  public Notifier notifier() {
    return notifier;
  }

  public IotGateway iot() {
    return iot;
  }

  @Override
  public void close() {
    try {
      // Long-polls are answered and WebSockets closed now, so the stop waits only for the
      // requests at work; they finish while the database is open.
      changes.wakeAllForStop();
      realtime.close();
      config.close();
      graceful.stop(app);
      iot.close();
      notifier.close();
    } finally {
      db.close();
    }
  }
}
