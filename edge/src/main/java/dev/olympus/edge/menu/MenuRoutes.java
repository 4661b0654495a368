package dev.olympus.edge.menu;

import dev.olympus.edge.pos.LanRoutes;
import io.javalin.config.RoutesConfig;

/** {@code GET /api/v1/menu}: the menu from the cached config. */
public final class MenuRoutes implements LanRoutes {
  private final MenuService menu;

  public MenuRoutes(MenuService menu) {
    this.menu = menu;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/v1/menu", ctx -> ctx.json(menu.menu()));
  }
}
