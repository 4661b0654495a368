package dev.olympus.cloud.config;

import dev.olympus.cloud.admin.Directory;
import dev.olympus.cloud.auth.Authenticator;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Json;
import dev.olympus.cloud.http.Responses;
import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.EntityType;
import dev.olympus.core.sync.UuidV7;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's config API, {@code /api/v1/config/{entity_type}} with the admin token: create,
 * replace, delete, list and read every entity type of the registry, and request a property's full
 * sync. Enterprises and properties are created by the admin API; here only their settings are
 * replaced (decision 010).
 */
public final class ConfigAdminRoutes {
  private static final String BASE = "/api/v1/config";
  private static final String CHANGED_BY = "admin";

  private final Authenticator auth;
  private final Bodies bodies;
  private final ConfigService config;
  private final Directory directory;

  public ConfigAdminRoutes(
      Authenticator auth, Bodies bodies, ConfigService config, Directory directory) {
    this.auth = auth;
    this.bodies = bodies;
    this.config = config;
    this.directory = directory;
  }

  public void register(RoutesConfig routes) {
    routes.get(BASE, this::listTypes);
    routes.post(BASE + "/properties/{id}/full-sync", this::requestFullSync);
    routes.get(BASE + "/properties/{id}/version", this::version);
    routes.post(BASE + "/{entity_type}", this::create);
    routes.get(BASE + "/{entity_type}", this::list);
    routes.get(BASE + "/{entity_type}/{id}", this::get);
    routes.put(BASE + "/{entity_type}/{id}", this::replace);
    routes.delete(BASE + "/{entity_type}/{id}", this::delete);
  }

  private void listTypes(Context ctx) {
    auth.requireAdmin(ctx);
    Responses.json(ctx, 200, Map.of("entity_types", ConfigRegistry.all()));
  }

  private void create(Context ctx) {
    auth.requireAdmin(ctx);
    EntityType type = editableType(ctx);
    if (ConfigStore.isSingleton(type)) {
      throw new ApiException(
          405,
          "method_not_allowed",
          type.table()
              + " are created by the admin API (POST /api/v1/admin/tenants, …/locations): here"
              + " PUT /api/v1/config/"
              + type.table()
              + "/{id} replaces their settings",
          null);
    }
    Map<String, Object> body = body(ctx);
    String id = EntityBodies.optionalId(body);
    if (id == null) {
      id = UuidV7.next();
    }
    Map<String, Object> data = EntityBodies.entityData(type, body, true);
    ConfigStore.Committed c = config.create(type, id, data, CHANGED_BY);
    Responses.json(ctx, 201, written(type, c));
  }

  private void replace(Context ctx) {
    auth.requireAdmin(ctx);
    EntityType type = editableType(ctx);
    String id = ctx.pathParam("id");
    Map<String, Object> body = body(ctx);
    String bodyId = EntityBodies.optionalId(body);
    if (bodyId != null && !bodyId.equals(id)) {
      throw ApiException.invalidField(
          "id", "the body's id '" + bodyId + "' is not the path's '" + id + "': leave it out");
    }
    Map<String, Object> data = EntityBodies.entityData(type, body, false);
    ConfigStore.Committed c =
        config.replace(type, id, ctx.queryParam("enterprise_id"), data, CHANGED_BY);
    Responses.json(ctx, 200, written(type, c));
  }

  private void delete(Context ctx) {
    auth.requireAdmin(ctx);
    EntityType type = editableType(ctx);
    if (ConfigStore.isSingleton(type)) {
      throw new ApiException(
          405,
          "method_not_allowed",
          type.table() + " are removed with their tenant or location, not through the config API",
          null);
    }
    ConfigStore.Committed c =
        config.delete(type, ctx.pathParam("id"), ctx.queryParam("enterprise_id"), CHANGED_BY);
    Responses.json(ctx, 200, Map.of("deleted", true, "versions", c.versions()));
  }

  private void get(Context ctx) {
    auth.requireAdmin(ctx);
    EntityType type = type(ctx);
    String id = ctx.pathParam("id");
    ConfigStore.StoredEntity e =
        ConfigStore.isSingleton(type)
            ? config.store().singleton(type, id)
            : config
                .store()
                .find(type, id, ctx.queryParam("enterprise_id"))
                .orElseThrow(
                    () ->
                        ApiException.notFound(
                            "no "
                                + type.table()
                                + " '"
                                + Bodies.abbreviate(id)
                                + "': check the id (GET /api/v1/config/"
                                + type.table()
                                + " lists them)"));
    Responses.json(ctx, 200, view(type, e));
  }

  private void list(Context ctx) {
    auth.requireAdmin(ctx);
    EntityType type = type(ctx);
    int limit = Bodies.intParam(ctx, "limit", 100, 1, 1000);
    String after = ctx.queryParam("after");
    String propertyId = ctx.queryParam("property_id");
    String enterpriseId = ctx.queryParam("enterprise_id");
    List<ConfigStore.StoredEntity> page;
    if (ConfigStore.isSingleton(type)) {
      page = singletons(type, propertyId, enterpriseId, after, limit);
    } else {
      if (propertyId != null && directory.findLocation(propertyId).isEmpty()) {
        throw ApiException.notFound(
            "no property (location) '" + Bodies.abbreviate(propertyId) + "': check property_id");
      }
      page = config.store().list(type, propertyId, enterpriseId, after, limit);
    }
    List<Map<String, Object>> items = new ArrayList<>();
    page.forEach(e -> items.add(view(type, e)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    out.put("next_after", page.size() < limit ? null : page.get(page.size() - 1).id());
    Responses.json(ctx, 200, out);
  }

  private List<ConfigStore.StoredEntity> singletons(
      EntityType type, String propertyId, String enterpriseId, String after, int limit) {
    List<String> ids = new ArrayList<>();
    if (type.table().equals("enterprises")) {
      directory.listTenants().forEach(t -> ids.add(t.id()));
    } else if (propertyId != null) {
      ids.add(propertyId);
    } else if (enterpriseId != null) {
      directory.listLocations(enterpriseId).forEach(l -> ids.add(l.id()));
    } else {
      directory
          .listTenants()
          .forEach(t -> directory.listLocations(t.id()).forEach(l -> ids.add(l.id())));
    }
    return ids.stream()
        .sorted()
        .filter(id -> after == null || id.compareTo(after) > 0)
        .limit(limit)
        .map(id -> config.store().singleton(type, id))
        .toList();
  }

  private void requestFullSync(Context ctx) {
    auth.requireAdmin(ctx);
    Directory.Location location = location(ctx.pathParam("id"));
    ConfigStore.PropertyState state =
        config.requestFullSync(location.id(), location.tenantId(), ConfigService.ADMIN_REQUEST);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("property_id", state.propertyId());
    out.put("full_sync_requested", true);
    out.put("version", state.version());
    Responses.json(ctx, 202, out);
  }

  private void version(Context ctx) {
    auth.requireAdmin(ctx);
    Directory.Location location = location(ctx.pathParam("id"));
    ConfigStore.PropertyState state = config.store().state(location.id(), location.tenantId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("property_id", state.propertyId());
    out.put("version", state.version());
    out.put("horizon", state.horizon());
    out.put("full_sync_pending", state.fullSyncPending());
    Responses.json(ctx, 200, out);
  }

  private Directory.Location location(String id) {
    return directory
        .findLocation(id)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no property (location) '"
                        + Bodies.abbreviate(id)
                        + "': create it with the admin locations API"));
  }

  private Map<String, Object> body(Context ctx) {
    return Json.toMap(bodies.object(ctx));
  }

  private static EntityType type(Context ctx) {
    String name = ctx.pathParam("entity_type");
    return ConfigRegistry.find(name)
        .orElseThrow(
            () ->
                new ApiException(
                    404,
                    "unknown_entity_type",
                    "no config entity type '"
                        + Bodies.abbreviate(name)
                        + "': GET /api/v1/config lists them (e.g. menu_items, employees)",
                    "entity_type"));
  }

  /** A type the config API writes: heartbeats write service_host_metrics. */
  private static EntityType editableType(Context ctx) {
    EntityType type = type(ctx);
    if (!type.synced()) {
      throw new ApiException(
          405,
          "method_not_allowed",
          type.table() + " are written by service host heartbeats, not by the config API",
          null);
    }
    return type;
  }

  private static Map<String, Object> view(EntityType type, ConfigStore.StoredEntity e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("entity_type", type.table());
    out.put("id", e.id());
    out.put("data", EntityBodies.adminView(type, e.data()));
    return out;
  }

  private static Map<String, Object> written(EntityType type, ConfigStore.Committed c) {
    Map<String, Object> out = view(type, c.entity());
    out.put("versions", c.versions());
    return out;
  }
}
