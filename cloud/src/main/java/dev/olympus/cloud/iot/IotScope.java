package dev.olympus.cloud.iot;

import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.auth.Principal;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import io.javalin.http.Context;

/**
 * What an IoT request may see: under {@code /api/v1/admin/tenants/{tenant}/…} with the admin token,
 * every location of that tenant; under {@code /api/v1/iot/…} with a device token, the token's
 * tenant and location only — a terminal of one restaurant never reads another's sensors.
 *
 * @param tenantId the tenant
 * @param locationId the one location, or null for every location of the tenant
 */
public record IotScope(String tenantId, String locationId) {
  private static final String DEVICE_BASE = "/api/v1/iot";
  private static final String ADMIN_BASE = "/api/v1/admin/tenants/<tenant>/iot";

  /** The scope of a request, or 401/403/404 (unknown tenant) if it has none. */
  public static IotScope of(Context ctx, Authenticator auth, Directory directory) {
    String inPath = ctx.pathParamMap().get("tenant");
    if (inPath != null) {
      auth.requireAdmin(ctx);
      String tenantId =
          directory
              .findTenant(inPath)
              .orElseThrow(
                  () ->
                      ApiException.notFound(
                          "no tenant '"
                              + Bodies.abbreviate(inPath)
                              + "': create it with POST /api/v1/admin/tenants"))
              .id();
      return new IotScope(tenantId, null);
    }
    Principal p = auth.authenticate(ctx);
    if (p instanceof Principal.Device d) {
      return new IotScope(d.tenantId(), d.locationId());
    }
    String path = ctx.path();
    throw ApiException.forbidden(
        "with the admin token, name the tenant: "
            + ADMIN_BASE
            + (path.startsWith(DEVICE_BASE) ? path.substring(DEVICE_BASE.length()) : ""));
  }

  /** Whether something of {@code location} is within the scope. */
  public boolean covers(String location) {
    return locationId == null || locationId.equals(location);
  }

  /**
   * The location a query asks for with {@code ?location_id=}, within the scope (403 outside it);
   * null means every location of the tenant.
   */
  public String location(Context ctx) {
    String asked = ctx.queryParam("location_id");
    if (asked == null || asked.isEmpty()) {
      return locationId;
    }
    if (!covers(asked)) {
      throw ApiException.forbidden(
          "this device's token reads its own location only, not '"
              + Bodies.abbreviate(asked)
              + "'");
    }
    return asked;
  }
}
