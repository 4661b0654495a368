package dev.olympus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The orders a terminal sends, picked from the edge's own menu ({@code GET /api/v1/menu}) as a POS
 * would: 2 or 3 available items, quantity 1 or 2, the first with one of its modifiers; dine-in or
 * takeout, taken by one of the employees. Seeded, so two runs send the same orders.
 */
final class OrderMix {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Item(String id, List<String> modifiers) {}

  private final List<Item> withModifiers;
  private final List<Item> all;
  private final List<String> employees;
  private final Random random;

  OrderMix(JsonNode menu, List<String> employees, long seed) {
    List<Item> items = new ArrayList<>();
    for (JsonNode slu : menu.path("slus")) {
      for (JsonNode item : slu.path("items")) {
        if (!item.path("available").asBoolean(true)) {
          continue;
        }
        List<String> modifiers = new ArrayList<>();
        for (JsonNode group : item.path("modifier_groups")) {
          for (JsonNode m : group.path("modifiers")) {
            modifiers.add(m.path("id").asText());
          }
        }
        items.add(new Item(item.path("id").asText(), List.copyOf(modifiers)));
      }
    }
    this.all = List.copyOf(items);
    this.withModifiers = items.stream().filter(i -> !i.modifiers().isEmpty()).toList();
    if (all.size() < 3 || withModifiers.isEmpty()) {
      throw new IllegalStateException(
          "the edge's menu has "
              + all.size()
              + " available items, "
              + withModifiers.size()
              + " with modifiers: the benchmark needs at least 3 and 1 (was the config synced?)");
    }
    this.employees = List.copyOf(employees);
    this.random = new Random(seed);
  }

  /** The body of the next {@code POST /api/v1/orders}. */
  synchronized String next() {
    ObjectNode order = JSON.createObjectNode();
    order.put("order_type", random.nextInt(3) == 0 ? "takeout" : "dine_in");
    order.put("employee_id", employees.get(random.nextInt(employees.size())));
    ArrayNode lines = order.putArray("items");
    int count = 2 + random.nextInt(2);
    for (int i = 0; i < count; i++) {
      Item item =
          i == 0
              ? withModifiers.get(random.nextInt(withModifiers.size()))
              : all.get(random.nextInt(all.size()));
      ObjectNode line = lines.addObject();
      line.put("menu_item_id", item.id());
      line.put("quantity", 1 + (random.nextInt(4) == 0 ? 1 : 0));
      ArrayNode modifiers = line.putArray("modifier_ids");
      if (i == 0) {
        modifiers.add(item.modifiers().get(random.nextInt(item.modifiers().size())));
      }
    }
    return order.toString();
  }
}
