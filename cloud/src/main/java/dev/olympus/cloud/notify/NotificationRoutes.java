package dev.olympus.cloud.notify;

import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Responses;
import dev.olympus.cloud.iot.IotScope;
import dev.olympus.notify.Notification;
import dev.olympus.notify.Notifier;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The log of every alert notification the cloud sent or tried ({@code GET …/iot/notifications}) and
 * the dashboards' alert list ({@code GET …/iot/dashboard-alerts}), scoped like the rest of the IoT
 * API: a device token sees its location's, the admin token a tenant's.
 */
public final class NotificationRoutes {
  private final Authenticator auth;
  private final Directory directory;
  private final Notifier notifier;

  public NotificationRoutes(Authenticator auth, Directory directory, Notifier notifier) {
    this.auth = auth;
    this.directory = directory;
    this.notifier = notifier;
  }

  public void register(RoutesConfig routes) {
    for (String base : List.of("/api/v1/iot", "/api/v1/admin/tenants/{tenant}/iot")) {
      routes.get(base + "/notifications", this::history);
      routes.get(base + "/dashboard-alerts", this::dashboard);
    }
  }

  private void history(Context ctx) {
    IotScope scope = IotScope.of(ctx, auth, directory);
    String alertId = ctx.queryParam("alert_id");
    if (alertId != null && (alertId.isEmpty() || alertId.length() > 100)) {
      throw ApiException.invalidField(
          "alert_id", "alert_id must be an alert's id, 1 to 100 characters");
    }
    int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
    answer(ctx, notifier.history(scope.tenantId(), scope.location(ctx), alertId, limit));
  }

  private void dashboard(Context ctx) {
    IotScope scope = IotScope.of(ctx, auth, directory);
    int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
    answer(ctx, notifier.dashboardAlerts(scope.tenantId(), scope.location(ctx), limit));
  }

  private static void answer(Context ctx, List<Notification> list) {
    Responses.json(
        ctx, 200, Map.of("notifications", list.stream().map(Notification::toJson).toList()));
  }
}
