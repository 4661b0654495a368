package dev.olympus.edge.pos;

import io.javalin.config.RoutesConfig;

/**
 * One feature's endpoints on the LAN API (menu, orders, payments, …). {@link LanApi} registers them
 * after its token check on {@code /api/v1/*}, so every feature answers only devices of this
 * location, and its {@link ApiException}s are answered as JSON errors like the rest of the API.
 */
@FunctionalInterface
public interface LanRoutes {
  void register(RoutesConfig routes);
}
