package dev.olympus.bench;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.olympus.cloud.config.ConfigStore;
import dev.olympus.core.config.ConfigRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A restaurant's config for the operations benchmarks, written through the cloud's config store
 * (each entity its own transaction and config version, as the admin API commits it): two tax groups
 * (food 8.75 %, drinks 5 %), 8 SLUs, {@code menuItems} menu items at 2.50–14.75, 10 modifier groups
 * of 4 modifiers (0 to 2 chosen), every item offering one or two of them, and {@code employees}
 * active employees whose PIN is {@link #PIN}.
 */
final class MenuSeed {
  /** Every seeded employee's PIN. */
  static final String PIN = "4821";

  private static final String BY = "bench";
  private static final int SLUS = 8;
  private static final int GROUPS = 10;
  private static final int MODIFIERS_PER_GROUP = 4;

  private MenuSeed() {}

  /** Seeds location {@code loc-1} of tenant {@code t1}; returns the employees' ids. */
  static List<String> seed(ConfigStore store, int menuItems, int employees) {
    if (menuItems < 3 || employees < 1) {
      throw new IllegalArgumentException(
          "a menu needs at least 3 items and 1 employee, was "
              + menuItems
              + " items and "
              + employees
              + " employees");
    }
    create(store, "tax_groups", "tax-food", property("name", "Food", "rate", "0.0875"));
    create(store, "tax_groups", "tax-drink", property("name", "Drinks", "rate", "0.05"));
    for (int s = 0; s < SLUS; s++) {
      create(store, "slus", "slu-" + s, property("name", "SLU " + s, "display_order", s));
    }
    for (int g = 0; g < GROUPS; g++) {
      create(
          store,
          "modifier_groups",
          "mg-" + g,
          property("name", "Group " + g, "min_select", 0, "max_select", 2));
      for (int m = 0; m < MODIFIERS_PER_GROUP; m++) {
        String modifier = "mod-" + g + "-" + m;
        create(
            store,
            "modifiers",
            modifier,
            property("name", "Modifier " + g + "." + m, "price", m == 0 ? "0.00" : m + ".25"));
        create(
            store,
            "modifier_group_modifiers",
            "mgm-" + g + "-" + m,
            property("modifier_group_id", "mg-" + g, "modifier_id", modifier, "display_order", m));
      }
    }
    for (int i = 0; i < menuItems; i++) {
      String item = String.format(Locale.ROOT, "mi-%04d", i);
      create(
          store,
          "menu_items",
          item,
          property(
              "name",
              "Item " + i,
              "price",
              String.format(Locale.ROOT, "%d.%02d", 2 + i % 13, (i * 25) % 100),
              "slu_id",
              "slu-" + (i % SLUS),
              "tax_group_id",
              i % 5 == 4 ? "tax-drink" : "tax-food",
              "active",
              true));
      create(
          store,
          "menu_item_modifier_groups",
          "mimg-" + i + "-a",
          property("menu_item_id", item, "modifier_group_id", "mg-" + (i % GROUPS)));
      if (i % 3 == 0) {
        create(
            store,
            "menu_item_modifier_groups",
            "mimg-" + i + "-b",
            property("menu_item_id", item, "modifier_group_id", "mg-" + ((i + 1) % GROUPS)));
      }
    }
    create(
        store, "privileges", "open_drawer", Map.of("enterprise_id", "t1", "name", "open_drawer"));
    create(
        store,
        "roles",
        "role-staff",
        property("name", "Staff", "privileges", List.of("open_drawer")));
    String pinHash = BCrypt.withDefaults().hashToString(10, PIN.toCharArray());
    List<String> ids = new ArrayList<>();
    for (int e = 0; e < employees; e++) {
      String id = String.format(Locale.ROOT, "emp-%03d", e);
      create(
          store,
          "employees",
          id,
          property(
              "first_name",
              "First" + e,
              "last_name",
              "Last" + e,
              "role_id",
              "role-staff",
              "status",
              "active",
              "pin_hash",
              pinHash));
      ids.add(id);
    }
    return List.copyOf(ids);
  }

  private static Map<String, Object> property(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(ConfigRegistry.PROPERTY_ID, "loc-1");
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static void create(ConfigStore store, String type, String id, Map<String, Object> data) {
    store.create(ConfigRegistry.require(type), id, data, BY);
  }
}
