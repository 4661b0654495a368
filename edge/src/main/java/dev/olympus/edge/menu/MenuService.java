package dev.olympus.edge.menu;

import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigEntity;
import dev.olympus.edge.pos.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The menu as terminals show it, built from the cached config: screen lookup units (SLUs) with
 * their items (price, tax group, availability), each item with its modifier groups and their
 * modifiers. Read from the encrypted cache, so it is served while the internet is down.
 */
public final class MenuService {
  private final ConfigCache config;

  public MenuService(ConfigCache config) {
    this.config = config;
  }

  /**
   * @throws ApiException 503 before the first config sync
   */
  public Map<String, Object> menu() {
    if (config.state().isEmpty()) {
      throw new ApiException(
          503,
          "no_config",
          "this edge has not synced its restaurant's config (menu) from the cloud yet: connect it"
              + " to the internet once, or check GET /api/v1/config/status",
          null);
    }
    Map<String, ConfigEntity> taxGroups = byId(config.list("tax_groups"));
    Map<String, ConfigEntity> modifiers = byId(config.list("modifiers"));
    Map<String, ConfigEntity> groups = byId(config.list("modifier_groups"));
    Map<String, List<ConfigEntity>> modifiersByGroup =
        grouped(config.list("modifier_group_modifiers"), "modifier_group_id");
    Map<String, List<ConfigEntity>> groupsByItem =
        grouped(config.list("menu_item_modifier_groups"), "menu_item_id");
    Map<String, List<Map<String, Object>>> itemsBySlu = new LinkedHashMap<>();
    List<ConfigEntity> items = new ArrayList<>(config.list("menu_items"));
    items.sort(Comparator.comparing((ConfigEntity e) -> e.text("name").orElse("")));
    for (ConfigEntity item : items) {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("id", item.id());
      view.put("name", item.text("name").orElse(item.id()));
      view.put("price", item.data().get("price"));
      String taxGroupId = item.text("tax_group_id").orElse(null);
      view.put("tax_group_id", taxGroupId);
      ConfigEntity tax = taxGroupId == null ? null : taxGroups.get(taxGroupId);
      view.put("tax_rate", tax == null ? null : tax.data().get("rate"));
      view.put("tax_inclusive", tax != null && Boolean.TRUE.equals(tax.data().get("inclusive")));
      view.put(
          "available",
          !Boolean.FALSE.equals(item.data().get("active"))
              && !Boolean.FALSE.equals(item.data().get("available")));
      List<Map<String, Object>> itemGroups = new ArrayList<>();
      for (ConfigEntity link : sorted(groupsByItem.get(item.id()))) {
        String groupId = link.text("modifier_group_id").orElse("");
        ConfigEntity group = groups.get(groupId);
        if (group == null) {
          continue;
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", group.id());
        g.put("name", group.text("name").orElse(group.id()));
        g.put("min_select", group.number("min_select").map(Number::intValue).orElse(0));
        g.put("max_select", group.number("max_select").map(Number::intValue).orElse(null));
        List<Map<String, Object>> mods = new ArrayList<>();
        for (ConfigEntity m : sorted(modifiersByGroup.get(groupId))) {
          ConfigEntity modifier = modifiers.get(m.text("modifier_id").orElse(""));
          if (modifier != null) {
            Map<String, Object> mv = new LinkedHashMap<>();
            mv.put("id", modifier.id());
            mv.put("name", modifier.text("name").orElse(modifier.id()));
            mv.put("price", modifier.data().get("price"));
            mods.add(mv);
          }
        }
        g.put("modifiers", mods);
        itemGroups.add(g);
      }
      view.put("modifier_groups", itemGroups);
      itemsBySlu.computeIfAbsent(item.text("slu_id").orElse(""), s -> new ArrayList<>()).add(view);
    }
    List<ConfigEntity> slus = new ArrayList<>(config.list("slus"));
    slus.sort(
        Comparator.comparing((ConfigEntity s) -> order(s))
            .thenComparing(s -> s.text("name").orElse("")));
    List<Map<String, Object>> sluViews = new ArrayList<>();
    for (ConfigEntity slu : slus) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("id", slu.id());
      s.put("name", slu.text("name").orElse(slu.id()));
      s.put("display_order", slu.number("display_order").orElse(null));
      s.put("items", Objects.requireNonNullElse(itemsBySlu.remove(slu.id()), List.of()));
      sluViews.add(s);
    }
    // Items whose SLU is not configured still sell: show them rather than hide them.
    List<Map<String, Object>> orphans = new ArrayList<>();
    itemsBySlu.values().forEach(orphans::addAll);
    if (!orphans.isEmpty()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("id", null);
      s.put("name", "Other");
      s.put("display_order", null);
      s.put("items", orphans);
      sluViews.add(s);
    }
    Map<String, Object> menu = new LinkedHashMap<>();
    menu.put("config_version", config.version());
    menu.put("currency", config.property().flatMap(p -> p.text("currency")).orElse(null));
    menu.put("slus", sluViews);
    return menu;
  }

  private static int order(ConfigEntity e) {
    return e.number("display_order").map(Number::intValue).orElse(Integer.MAX_VALUE);
  }

  private static List<ConfigEntity> sorted(List<ConfigEntity> links) {
    if (links == null) {
      return List.of();
    }
    List<ConfigEntity> copy = new ArrayList<>(links);
    copy.sort(Comparator.comparing(MenuService::order).thenComparing(ConfigEntity::id));
    return copy;
  }

  private static Map<String, ConfigEntity> byId(List<ConfigEntity> entities) {
    Map<String, ConfigEntity> map = new HashMap<>();
    entities.forEach(e -> map.put(e.id(), e));
    return map;
  }

  private static Map<String, List<ConfigEntity>> grouped(List<ConfigEntity> links, String field) {
    Map<String, List<ConfigEntity>> map = new HashMap<>();
    for (ConfigEntity l : links) {
      l.text(field).ifPresent(k -> map.computeIfAbsent(k, x -> new ArrayList<>()).add(l));
    }
    return map;
  }
}
