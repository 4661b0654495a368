package dev.olympus.cloud.realtime;

import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.auth.DeviceRegistry;
import dev.olympus.cloud.auth.DeviceType;
import dev.olympus.cloud.auth.Principal;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Responses;
import dev.olympus.cloud.sync.ChangeNotifier;
import dev.olympus.cloud.sync.SyncStore;
import dev.olympus.web.realtime.LocationKey;
import dev.olympus.web.realtime.SyncSocketHub;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The cloud's real-time side: {@code /ws/sync} for every device of a location (edges and
 * terminals), fed by the change log and woken by {@link ChangeNotifier}; a trigger also reaches the
 * location's edge over its socket; {@code GET /api/restaurants/{id}/status}.
 */
public final class CloudRealtime implements AutoCloseable {
  private final SyncSocketHub hub;
  private final Authenticator auth;
  private final Directory directory;

  private CloudRealtime(SyncSocketHub hub, Authenticator auth, Directory directory) {
    this.hub = hub;
    this.auth = auth;
    this.directory = directory;
  }

  /** Builds the hub and subscribes it to the notifier's commits and triggers. */
  public static CloudRealtime create(
      SyncStore store,
      DeviceRegistry devices,
      String adminToken,
      Authenticator auth,
      Directory directory,
      ChangeNotifier notifier,
      MeterRegistry registry,
      Clock clock,
      Duration heartbeat) {
    SyncSocketHub hub =
        SyncSocketHub.builder(
                "cloud",
                new CloudChangeSource(store),
                new DeviceSocketAuthenticator(devices, adminToken))
            .heartbeat(heartbeat)
            .clock(clock)
            .meterRegistry(registry)
            .build();
    notifier.addListener(
        new ChangeNotifier.Listener() {
          @Override
          public void onCommitted(String tenantId, Set<String> locations) {
            hub.committed(tenantId, locations);
          }

          @Override
          public void onTrigger(String tenantId, String locationId, String priority) {
            hub.trigger(new LocationKey(tenantId, locationId), DeviceType.OLYMPUS_EDGE, priority);
          }
        });
    return new CloudRealtime(hub, auth, directory);
  }

  /** Registers {@code /ws/sync} and {@code GET /api/restaurants/{id}/status}. */
  public void register(JavalinConfig config) {
    hub.register(config);
    config.routes.get("/api/restaurants/{id}/status", this::status);
  }

  public int connectedRestaurants() {
    return hub.connectedRestaurants();
  }

  public int totalConnections() {
    return hub.totalConnections();
  }

  private void status(Context ctx) {
    Principal principal = auth.authenticate(ctx);
    String id = ctx.pathParam("id");
    Directory.Location location =
        directory
            .findLocation(id)
            .filter(
                l ->
                    !(principal instanceof Principal.Device d) || d.tenantId().equals(l.tenantId()))
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no restaurant '" + Bodies.abbreviate(id) + "': check the location id"));
    if (principal instanceof Principal.Device d && !id.equals(d.locationId())) {
      throw ApiException.forbidden(
          "a device token reads only its own restaurant's status (" + d.locationId() + ")");
    }
    Responses.json(ctx, 200, hub.status(new LocationKey(location.tenantId(), location.id())));
  }

  @Override
  public void close() {
    hub.close();
  }
}
