package dev.olympus.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.edge.config.ConfigFixtures;
import dev.olympus.edge.store.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A small restaurant for the operations endpoints' tests: two tax groups (food 8.75 %, drinks 5 %),
 * burgers with a cheese/bacon modifier group, fries, soda, an 86'd salad, two discounts, a cashier
 * and a manager (who may void completed orders), a POS terminal's token. Loaded into an offline
 * edge as a full config sync would load it.
 */
public final class RestaurantFixtures {
  public static final String POS_TOKEN = "oly_pos-ops-terminal-token-abcdefghijklmnopqrstuvw";
  public static final String PIN = ConfigFixtures.PIN;

  private RestaurantFixtures() {}

  /** An edge with no cloud, the POS terminal registered and the restaurant's config loaded. */
  public static EdgeServer start(Path dir, UnaryOperator<EdgeSettings> tweak) {
    EdgeServer edge =
        EdgeServer.start(
            tweak.apply(
                TestEdges.settings(dir, TestEdges.DEAD_CLOUD, TestEdges.API_KEY, "loc-1")
                    .withMaxBodyBytes(64 * 1024)));
    edge.devices().store(List.of(TestEdges.device("pos-1", "pos_terminal", POS_TOKEN, false)));
    ConfigFixtures.load(edge, payload(1));
    return edge;
  }

  public static FullSyncPayload payload(long version) {
    Map<String, List<Map<String, Object>>> e = new LinkedHashMap<>();
    e.put(
        "privileges",
        List.of(
            Map.of("id", "void_completed_order", "name", "void_completed_order"),
            Map.of("id", "open_drawer", "name", "open_drawer")));
    e.put(
        "roles",
        List.of(
            Map.of(
                "id", "role-mgr", "name", "Manager", "privileges", List.of("void_completed_order")),
            Map.of("id", "role-cashier", "name", "Cashier", "privileges", List.of("open_drawer"))));
    Map<String, Object> cashier = ConfigFixtures.employee("emp-1", "Ada", "Lovelace", "active");
    cashier.put("role_id", "role-cashier");
    e.put(
        "employees",
        List.of(cashier, ConfigFixtures.employee("emp-mgr", "Grace", "Hopper", "active")));
    e.put(
        "slus",
        List.of(
            Map.of("id", "slu-burgers", "name", "Burgers", "display_order", 1),
            Map.of("id", "slu-sides", "name", "Sides", "display_order", 2)));
    e.put(
        "tax_groups",
        List.of(
            Map.of("id", "tax-food", "name", "Food", "rate", "0.0875"),
            Map.of("id", "tax-drink", "name", "Drinks", "rate", "0.05")));
    e.put(
        "menu_items",
        List.of(
            item("mi-burger", "Burger", "9.50", "slu-burgers", "tax-food", true),
            item("mi-fries", "Fries", "3.00", "slu-sides", "tax-food", true),
            item("mi-soda", "Soda", "1.99", "slu-sides", "tax-drink", true),
            item("mi-salad", "Salad", "7.00", "slu-sides", "tax-food", false)));
    e.put(
        "modifier_groups",
        List.of(Map.of("id", "mg-toppings", "name", "Toppings", "min_select", 0, "max_select", 2)));
    e.put(
        "modifiers",
        List.of(
            Map.of("id", "mod-cheese", "name", "Cheese", "price", "1.25"),
            Map.of("id", "mod-bacon", "name", "Bacon", "price", "2.00"),
            Map.of("id", "mod-ice", "name", "No ice", "price", "0.00")));
    e.put(
        "modifier_group_modifiers",
        List.of(
            Map.of(
                "id",
                "mgm-1",
                "modifier_group_id",
                "mg-toppings",
                "modifier_id",
                "mod-cheese",
                "display_order",
                1),
            Map.of(
                "id",
                "mgm-2",
                "modifier_group_id",
                "mg-toppings",
                "modifier_id",
                "mod-bacon",
                "display_order",
                2)));
    e.put(
        "menu_item_modifier_groups",
        List.of(
            Map.of(
                "id", "mimg-1", "menu_item_id", "mi-burger", "modifier_group_id", "mg-toppings")));
    e.put(
        "discounts",
        List.of(
            Map.of("id", "d-10pct", "name", "10% off", "type", "percent", "value", "10"),
            Map.of("id", "d-2off", "name", "2 off", "type", "amount", "value", "2.00")));
    e.put("tenders", List.of(Map.of("id", "t-cash", "name", "Cash", "type", "cash")));
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("id", "loc-1");
    property.put("name", "Downtown");
    property.put("timezone", "America/New_York");
    property.put("currency", "usd");
    property.put("business_date", "2026-11-22");
    return new FullSyncPayload(
        version,
        "2026-11-22T00:00:00Z",
        "loc-1",
        Map.of("id", "t1", "name", "Olympus Burgers"),
        property,
        e);
  }

  static Map<String, Object> item(
      String id, String name, String price, String slu, String tax, boolean active) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("name", name);
    m.put("price", price);
    m.put("slu_id", slu);
    m.put("tax_group_id", tax);
    m.put("active", active);
    return m;
  }

  public static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
    }
  }

  /** POST /api/v1/orders as the POS terminal. */
  public static HttpResponse<String> createOrder(String base, String body, String... headers) {
    return TestEdges.send("POST", base + "/api/v1/orders", POS_TOKEN, body, headers);
  }

  /** Opens an order and returns its id. */
  public static String openOrder(String base, String body) {
    HttpResponse<String> r = createOrder(base, body);
    if (r.statusCode() != 201) {
      throw new AssertionError("order not created: " + r.statusCode() + " " + r.body());
    }
    return json(r).get("id").asText();
  }
}
