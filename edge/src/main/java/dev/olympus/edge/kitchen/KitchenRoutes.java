package dev.olympus.edge.kitchen;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a fired order's items go.
 *
 * @param printers items per printer id (ids sorted), in firing order
 * @param kdsDevices items per KDS device id, in firing order
 * @param unrouted items that reach no device (no print class, or no routing for it in this RVC):
 *     the caller should warn, as nobody in the kitchen will see them
 */
public record KitchenRoutes(
    Map<String, List<FiredItem>> printers,
    Map<String, List<FiredItem>> kdsDevices,
    List<FiredItem> unrouted) {
  public KitchenRoutes {
    printers = frozen(printers);
    kdsDevices = frozen(kdsDevices);
    unrouted = List.copyOf(unrouted);
  }

  /** Immutable, keeping the given key order (device ids sorted by the router). */
  private static Map<String, List<FiredItem>> frozen(Map<String, List<FiredItem>> byDevice) {
    Map<String, List<FiredItem>> copy = new LinkedHashMap<>();
    byDevice.forEach((device, items) -> copy.put(device, List.copyOf(items)));
    return Collections.unmodifiableMap(copy);
  }
}
