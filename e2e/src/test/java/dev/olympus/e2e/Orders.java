package dev.olympus.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Realistic order and payment documents (about 600 bytes for an order). */
final class Orders {
  private Orders() {}

  static ObjectNode order(String id, int terminal, int n) {
    ObjectNode o = Api.JSON.createObjectNode();
    o.put("order_number", terminal * 100_000 + n);
    o.put("order_type", n % 3 == 0 ? "takeout" : "dine_in");
    o.put("status", "pending");
    o.put("table_id", "table-" + (n % 24));
    o.put("server_id", "emp-" + (n % 7));
    o.put("terminal_id", "pos-" + terminal);
    o.put("business_date", "2026-11-22");
    o.put("created_at", "2026-11-22T12:00:00Z");
    ArrayNode items = o.putArray("items");
    for (int i = 0; i < 3; i++) {
      ObjectNode item = items.addObject();
      item.put("menu_item_id", "item-" + ((n + i) % 40));
      item.put("name", "Double cheeseburger with fries " + i);
      item.put("quantity", 1 + (n + i) % 3);
      item.put("price", "12.50");
      item.putArray("modifier_ids").add("mod-no-onion").add("mod-extra-cheese");
    }
    o.put("subtotal", "37.50");
    o.put("tax", "3.28");
    o.put("total", "40.78");
    o.put("kitchen_notes", "allergy: peanuts");
    o.put("id_check", id);
    return o;
  }

  static ObjectNode payment(String id, String orderId) {
    ObjectNode p = Api.JSON.createObjectNode();
    p.put("order_id", orderId);
    p.put("tender", "card");
    p.put("amount", "40.78");
    p.put("currency", "USD");
    p.put("card_last4", "4242");
    p.put("offline_auth_code", "OFF-" + id);
    return p;
  }
}
