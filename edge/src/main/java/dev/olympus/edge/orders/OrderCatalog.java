package dev.olympus.edge.orders;

import dev.olympus.core.orders.Discount;
import dev.olympus.core.orders.OrderLine;
import dev.olympus.core.orders.PricingCatalog;
import dev.olympus.core.orders.ServiceCharge;
import dev.olympus.core.orders.TaxGroup;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigEntity;
import dev.olympus.edge.pos.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What can be ordered right now, from the config cache: the pricing catalog plus which modifiers
 * each menu item offers (through its modifier groups, with their {@code min_select} and {@code
 * max_select}). Read once per request, so an order is priced against one consistent config even
 * while a sync lands. Refusals name the request's field.
 */
final class OrderCatalog {
  private final PricingCatalog pricing;
  private final Map<String, Map<String, Object>> menuItems;
  private final Set<String> modifiers;
  private final Map<String, List<Group>> groupsByItem;
  private final Set<String> employees;

  /** A modifier group as one item offers it: its modifiers and how many may be chosen. */
  private record Group(String id, String name, Set<String> modifiers, int min, Integer max) {}

  private OrderCatalog(
      PricingCatalog pricing,
      Map<String, Map<String, Object>> menuItems,
      Set<String> modifiers,
      Map<String, List<Group>> groupsByItem,
      Set<String> employees) {
    this.pricing = pricing;
    this.menuItems = menuItems;
    this.modifiers = modifiers;
    this.groupsByItem = groupsByItem;
    this.employees = employees;
  }

  /**
   * @throws ApiException 503 before the first config sync, or when the synced config cannot price
   *     an order (a malformed tax group or discount)
   */
  static OrderCatalog load(ConfigCache config) {
    if (config.state().isEmpty()) {
      throw noConfig();
    }
    List<Map<String, Object>> items = data(config, "menu_items");
    List<Map<String, Object>> mods = data(config, "modifiers");
    PricingCatalog pricing;
    try {
      pricing =
          PricingCatalog.fromConfig(
              items,
              mods,
              data(config, "tax_groups"),
              data(config, "discounts"),
              data(config, "service_charges"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          503,
          "config_invalid",
          "the synced config cannot price orders: " + e.getMessage() + " (fix it in the cloud)",
          null);
    }
    Map<String, Map<String, Object>> itemsById = new HashMap<>();
    items.forEach(i -> itemsById.put(String.valueOf(i.get("id")), i));
    Set<String> modifierIds = new HashSet<>();
    mods.forEach(m -> modifierIds.add(String.valueOf(m.get("id"))));
    Map<String, Set<String>> byGroup = new HashMap<>();
    for (Map<String, Object> link : data(config, "modifier_group_modifiers")) {
      byGroup
          .computeIfAbsent(String.valueOf(link.get("modifier_group_id")), g -> new HashSet<>())
          .add(String.valueOf(link.get("modifier_id")));
    }
    Map<String, Map<String, Object>> groups = new HashMap<>();
    data(config, "modifier_groups").forEach(g -> groups.put(String.valueOf(g.get("id")), g));
    Map<String, List<Group>> byItem = new HashMap<>();
    for (Map<String, Object> link : data(config, "menu_item_modifier_groups")) {
      String groupId = String.valueOf(link.get("modifier_group_id"));
      Map<String, Object> g = groups.getOrDefault(groupId, Map.of());
      byItem
          .computeIfAbsent(String.valueOf(link.get("menu_item_id")), i -> new ArrayList<>())
          .add(
              new Group(
                  groupId,
                  g.get("name") == null ? groupId : g.get("name").toString(),
                  byGroup.getOrDefault(groupId, Set.of()),
                  g.get("min_select") instanceof Number n ? n.intValue() : 0,
                  g.get("max_select") instanceof Number n ? n.intValue() : null));
    }
    Set<String> employees = new HashSet<>();
    config.list("employees").forEach(e -> employees.add(e.id()));
    return new OrderCatalog(pricing, itemsById, modifierIds, byItem, employees);
  }

  static ApiException noConfig() {
    return new ApiException(
        503,
        "no_config",
        "this edge has not synced its restaurant's config (menu, taxes) from the cloud yet:"
            + " connect it to the internet once, or check GET /api/v1/config/status",
        null);
  }

  private static List<Map<String, Object>> data(ConfigCache config, String type) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ConfigEntity e : config.list(type)) {
      Map<String, Object> row = new HashMap<>(e.data());
      row.putIfAbsent("id", e.id());
      rows.add(row);
    }
    return rows;
  }

  /** A line at today's prices; {@code path} names the item in the request ({@code items[0]}). */
  OrderLine line(String lineId, ItemRequest item, String path) {
    Map<String, Object> menuItem = menuItems.get(item.menuItemId());
    if (menuItem == null) {
      throw unknown(path + ".menu_item_id", "menu item", item.menuItemId());
    }
    if (Boolean.FALSE.equals(menuItem.get("active"))
        || Boolean.FALSE.equals(menuItem.get("available"))) {
      throw new ApiException(
          400,
          "unavailable",
          "menu item " + item.menuItemId() + " is not available now: choose another",
          path + ".menu_item_id");
    }
    List<Group> itemGroups = groupsByItem.getOrDefault(item.menuItemId(), List.of());
    Set<String> offered = new HashSet<>();
    itemGroups.forEach(g -> offered.addAll(g.modifiers()));
    for (int j = 0; j < item.modifierIds().size(); j++) {
      String m = item.modifierIds().get(j);
      String at = path + ".modifier_ids[" + j + "]";
      if (!modifiers.contains(m)) {
        throw unknown(at, "modifier", m);
      }
      if (!offered.contains(m)) {
        throw new ApiException(
            400,
            "invalid_field",
            "modifier "
                + m
                + " is not offered with menu item "
                + item.menuItemId()
                + ": GET /api/v1/menu lists each item's modifier groups",
            at);
      }
    }
    for (Group g : itemGroups) {
      long chosen = item.modifierIds().stream().filter(g.modifiers()::contains).count();
      if (chosen < g.min() || (g.max() != null && chosen > g.max())) {
        throw new ApiException(
            400,
            "invalid_field",
            "menu item "
                + item.menuItemId()
                + " needs "
                + (g.max() == null ? "at least " + g.min() : g.min() + " to " + g.max())
                + " of "
                + g.name()
                + " ("
                + g.id()
                + "), "
                + chosen
                + " chosen",
            path + ".modifier_ids");
      }
    }
    for (int j = 0; j < item.discountIds().size(); j++) {
      discount(item.discountIds().get(j), path + ".discount_ids[" + j + "]");
    }
    try {
      return pricing.line(
          lineId, item.menuItemId(), item.quantity(), item.modifierIds(), item.discountIds());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ApiException(
          503,
          "config_invalid",
          "menu item " + item.menuItemId() + " cannot be priced: " + e.getMessage(),
          path + ".menu_item_id");
    }
  }

  Discount discount(String id, String path) {
    return pricing.findDiscount(id).orElseThrow(() -> unknown(path, "discount", id));
  }

  void requireEmployee(String id, String path) {
    if (!employees.contains(id)) {
      throw unknown(path, "employee", id);
    }
  }

  List<ServiceCharge> autoAppliedServiceCharges() {
    return pricing.autoAppliedServiceCharges();
  }

  Map<String, TaxGroup> taxGroups() {
    return pricing.taxGroups();
  }

  private static ApiException unknown(String path, String what, String id) {
    return new ApiException(
        400,
        "unknown_reference",
        path + ": " + what + " '" + id + "' is not in this restaurant's config",
        path);
  }
}
