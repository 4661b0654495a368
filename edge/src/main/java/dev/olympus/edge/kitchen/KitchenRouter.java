package dev.olympus.edge.kitchen;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which printers and KDS devices get which items of a fired order, from the property's
 * config: a menu item has a print class ({@code menu_items.print_class_id}); {@code
 * print_class_routing} sends a print class, within a revenue centre, to order devices; an order
 * device prints on its printers ({@code order_device_printers}) and shows on its KDS devices
 * ({@code order_device_kds}). An item reaching one device through two order devices is sent there
 * once. Pure: plain maps in, routes out.
 */
public final class KitchenRouter {
  private final Map<String, String> printClassByItem;
  private final Map<String, Set<String>> orderDevicesByClassAndRvc;
  private final Map<String, Set<String>> printersByOrderDevice;
  private final Map<String, Set<String>> kdsByOrderDevice;

  private KitchenRouter(
      Map<String, String> printClassByItem,
      Map<String, Set<String>> orderDevicesByClassAndRvc,
      Map<String, Set<String>> printersByOrderDevice,
      Map<String, Set<String>> kdsByOrderDevice) {
    this.printClassByItem = printClassByItem;
    this.orderDevicesByClassAndRvc = orderDevicesByClassAndRvc;
    this.printersByOrderDevice = printersByOrderDevice;
    this.kdsByOrderDevice = kdsByOrderDevice;
  }

  /**
   * A router from the config cache's entities, by table name: {@code menu_items}, {@code
   * print_class_routing}, {@code order_device_printers}, {@code order_device_kds} (missing tables
   * count as empty). Each entity is its data map with the registry's field names.
   */
  public static KitchenRouter fromConfig(
      Map<String, ? extends Collection<Map<String, Object>>> entitiesByType) {
    Map<String, String> printClassByItem = new HashMap<>();
    for (Map<String, Object> item : table(entitiesByType, "menu_items")) {
      Object printClass = item.get("print_class_id");
      if (item.get("id") != null && printClass != null) {
        printClassByItem.put(item.get("id").toString(), printClass.toString());
      }
    }
    Map<String, Set<String>> routing = new HashMap<>();
    for (Map<String, Object> r : table(entitiesByType, "print_class_routing")) {
      add(routing, key(r.get("print_class_id"), r.get("rvc_id")), r.get("order_device_id"));
    }
    Map<String, Set<String>> printers = new HashMap<>();
    for (Map<String, Object> p : table(entitiesByType, "order_device_printers")) {
      add(printers, str(p.get("order_device_id")), p.get("printer_id"));
    }
    Map<String, Set<String>> kds = new HashMap<>();
    for (Map<String, Object> k : table(entitiesByType, "order_device_kds")) {
      add(kds, str(k.get("order_device_id")), k.get("kds_device_id"));
    }
    return new KitchenRouter(printClassByItem, routing, printers, kds);
  }

  /**
   * Routes a fired order's items.
   *
   * @param rvcId the revenue centre the order was taken in
   */
  public KitchenRoutes route(String rvcId, List<FiredItem> items) {
    Map<String, List<FiredItem>> toPrinters = new TreeMap<>();
    Map<String, List<FiredItem>> toKds = new TreeMap<>();
    List<FiredItem> unrouted = new ArrayList<>();
    for (FiredItem item : items) {
      String printClass = printClassByItem.get(item.menuItemId());
      Set<String> orderDevices =
          printClass == null
              ? Set.of()
              : orderDevicesByClassAndRvc.getOrDefault(key(printClass, rvcId), Set.of());
      Set<String> itemPrinters = new LinkedHashSet<>();
      Set<String> itemKds = new LinkedHashSet<>();
      for (String device : orderDevices) {
        itemPrinters.addAll(printersByOrderDevice.getOrDefault(device, Set.of()));
        itemKds.addAll(kdsByOrderDevice.getOrDefault(device, Set.of()));
      }
      if (itemPrinters.isEmpty() && itemKds.isEmpty()) {
        unrouted.add(item);
        continue;
      }
      itemPrinters.forEach(p -> toPrinters.computeIfAbsent(p, x -> new ArrayList<>()).add(item));
      itemKds.forEach(k -> toKds.computeIfAbsent(k, x -> new ArrayList<>()).add(item));
    }
    return new KitchenRoutes(toPrinters, toKds, unrouted);
  }

  private static Collection<Map<String, Object>> table(
      Map<String, ? extends Collection<Map<String, Object>>> byType, String type) {
    Collection<Map<String, Object>> rows = byType.get(type);
    return rows == null ? List.of() : rows;
  }

  private static void add(Map<String, Set<String>> map, String key, Object value) {
    if (key != null && value != null) {
      map.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(value.toString());
    }
  }

  private static String key(Object printClass, Object rvc) {
    return printClass == null || rvc == null ? null : printClass + "\u0000" + rvc;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
