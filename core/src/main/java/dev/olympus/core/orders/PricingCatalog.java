package dev.olympus.core.orders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The priceable part of a property's configuration, read from the config cache's entity data
 * ({@code menu_items}, {@code modifiers}, {@code tax_groups}, {@code discounts}, {@code
 * service_charges} as {@code Map<String, Object>} with the registry's field names; decimals as
 * strings). Turns what a terminal orders (ids and quantities) into {@link OrderLine}s with the
 * prices of now.
 */
public final class PricingCatalog {
  private final Map<String, Map<String, Object>> menuItems;
  private final Map<String, Map<String, Object>> modifiers;
  private final Map<String, TaxGroup> taxGroups;
  private final Map<String, Discount> discounts;
  private final Map<String, ServiceCharge> serviceCharges;
  private final List<ServiceCharge> autoApplied;

  private PricingCatalog(
      Map<String, Map<String, Object>> menuItems,
      Map<String, Map<String, Object>> modifiers,
      Map<String, TaxGroup> taxGroups,
      Map<String, Discount> discounts,
      Map<String, ServiceCharge> serviceCharges,
      List<ServiceCharge> autoApplied) {
    this.menuItems = menuItems;
    this.modifiers = modifiers;
    this.taxGroups = taxGroups;
    this.discounts = discounts;
    this.serviceCharges = serviceCharges;
    this.autoApplied = List.copyOf(autoApplied);
  }

  /**
   * A catalog from config entities (each a map with its {@code id}).
   *
   * @throws IllegalArgumentException naming the entity and field when a tax group, discount or
   *     service charge is malformed
   */
  public static PricingCatalog fromConfig(
      List<Map<String, Object>> menuItems,
      List<Map<String, Object>> modifiers,
      List<Map<String, Object>> taxGroups,
      List<Map<String, Object>> discounts,
      List<Map<String, Object>> serviceCharges) {
    Map<String, TaxGroup> groups = new HashMap<>();
    for (Map<String, Object> t : taxGroups) {
      String id = id(t, "tax_groups");
      groups.put(
          id,
          new TaxGroup(
              id,
              string(t, "name"),
              decimal(t, "rate", "tax_groups " + id),
              Boolean.TRUE.equals(t.get("inclusive"))));
    }
    Map<String, Discount> ds = new HashMap<>();
    for (Map<String, Object> d : discounts) {
      String id = id(d, "discounts");
      ds.put(
          id,
          new Discount(
              id,
              string(d, "name"),
              AdjustmentType.parse(string(d, "type")),
              decimal(d, "value", "discounts " + id)));
    }
    Map<String, ServiceCharge> cs = new HashMap<>();
    List<ServiceCharge> auto = new ArrayList<>();
    for (Map<String, Object> c : serviceCharges) {
      String id = id(c, "service_charges");
      cs.put(
          id,
          new ServiceCharge(
              id,
              string(c, "name"),
              AdjustmentType.parse(string(c, "type")),
              decimal(c, "value", "service_charges " + id),
              Boolean.TRUE.equals(c.get("taxable")),
              string(c, "tax_group_id")));
      if (Boolean.TRUE.equals(c.get("auto_apply"))) {
        auto.add(cs.get(id));
      }
    }
    auto.sort(Comparator.comparing(ServiceCharge::id));
    return new PricingCatalog(
        byId(menuItems, "menu_items"), byId(modifiers, "modifiers"), groups, ds, cs, auto);
  }

  /** Tax groups by id, as {@link OrderPricer#price} wants them. */
  public Map<String, TaxGroup> taxGroups() {
    return Map.copyOf(taxGroups);
  }

  public Optional<Discount> findDiscount(String id) {
    return Optional.ofNullable(discounts.get(id));
  }

  public Optional<ServiceCharge> findServiceCharge(String id) {
    return Optional.ofNullable(serviceCharges.get(id));
  }

  /** The service charges flagged {@code auto_apply}, by id: every order gets them. */
  public List<ServiceCharge> autoAppliedServiceCharges() {
    return autoApplied;
  }

  /**
   * A line of {@code quantity} of a menu item with modifiers and item-level discounts, at today's
   * prices.
   *
   * @throws IllegalArgumentException naming the unknown or inactive item, modifier or discount
   */
  public OrderLine line(
      String lineId,
      String menuItemId,
      int quantity,
      List<String> modifierIds,
      List<String> discountIds) {
    Map<String, Object> item = menuItems.get(menuItemId);
    if (item == null) {
      throw new IllegalArgumentException("menu item " + menuItemId + " is not on the menu");
    }
    if (Boolean.FALSE.equals(item.get("active"))) {
      throw new IllegalArgumentException("menu item " + menuItemId + " is not active");
    }
    List<LineModifier> mods = new ArrayList<>();
    for (String modifierId : modifierIds) {
      Map<String, Object> m = modifiers.get(modifierId);
      if (m == null) {
        throw new IllegalArgumentException("modifier " + modifierId + " is not configured");
      }
      mods.add(
          new LineModifier(
              modifierId, string(m, "name"), decimal(m, "price", "modifiers " + modifierId)));
    }
    List<Discount> lineDiscounts = new ArrayList<>();
    for (String discountId : discountIds) {
      lineDiscounts.add(
          findDiscount(discountId)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "discount " + discountId + " is not configured")));
    }
    return new OrderLine(
        lineId,
        menuItemId,
        string(item, "name"),
        decimal(item, "price", "menu_items " + menuItemId),
        quantity,
        string(item, "tax_group_id"),
        mods,
        lineDiscounts);
  }

  private static Map<String, Map<String, Object>> byId(
      List<Map<String, Object>> entities, String type) {
    Map<String, Map<String, Object>> map = new HashMap<>();
    for (Map<String, Object> e : entities) {
      map.put(id(e, type), e);
    }
    return map;
  }

  private static String id(Map<String, Object> entity, String type) {
    Object id = entity.get("id");
    if (id == null) {
      throw new IllegalArgumentException("a " + type + " entity has no id: " + entity);
    }
    return id.toString();
  }

  private static String string(Map<String, Object> entity, String field) {
    Object v = entity.get(field);
    return v == null ? null : v.toString();
  }

  /** Decimals are strings on the wire; a number that slipped through is read exactly too. */
  private static BigDecimal decimal(Map<String, Object> entity, String field, String what) {
    Object v = entity.get(field);
    if (v instanceof BigDecimal d) {
      return d;
    }
    return Money.decimal(what + " " + field, v == null ? null : v.toString());
  }
}
