package dev.olympus.edge.orders;

import dev.olympus.core.orders.AdjustmentType;
import dev.olympus.core.orders.Discount;
import dev.olympus.core.orders.LineModifier;
import dev.olympus.core.orders.Money;
import dev.olympus.core.orders.OrderLine;
import dev.olympus.core.orders.OrderStatus;
import dev.olympus.core.orders.PricedOrder;
import dev.olympus.core.orders.ServiceCharge;
import dev.olympus.core.orders.TaxGroup;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An order as it is stored in its {@code orders} record (and synced to the cloud). The pricing
 * inputs are kept with the prices of the moment they were added ({@code items}, {@code discounts},
 * {@code charges}: a later menu change does not reprice an open order), next to the priced result
 * ({@code lines}, {@code taxes}, {@code subtotal} … {@code total}, {@code amount_paid}, {@code
 * balance_due}). Money is always a decimal string with two places.
 */
final class OrderDocument {
  private OrderDocument() {}

  static OrderStatus status(Map<String, Object> data) {
    return OrderStatus.parse(String.valueOf(data.get("status")));
  }

  static BigDecimal amount(Map<String, Object> data, String field) {
    Object v = data.get(field);
    return v == null ? Money.ZERO : Money.parse(field, v.toString());
  }

  /** The pricing input of a line, with its note for the kitchen. */
  static Map<String, Object> item(OrderLine line, String note) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("line_id", line.lineId());
    m.put("menu_item_id", line.menuItemId());
    m.put("name", line.name());
    m.put("quantity", line.quantity());
    m.put("unit_price", Money.format(line.unitPrice()));
    m.put("tax_group_id", line.taxGroupId());
    List<Map<String, Object>> mods = new ArrayList<>();
    for (LineModifier mod : line.modifiers()) {
      Map<String, Object> mm = new LinkedHashMap<>();
      mm.put("modifier_id", mod.modifierId());
      mm.put("name", mod.name());
      mm.put("price", Money.format(mod.price()));
      mods.add(mm);
    }
    m.put("modifiers", mods);
    m.put("discounts", line.discounts().stream().map(OrderDocument::discount).toList());
    if (note != null) {
      m.put("note", note);
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> items(Map<String, Object> data) {
    Object v = data.get("items");
    return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  @SuppressWarnings("unchecked")
  static OrderLine line(Map<String, Object> item) {
    List<LineModifier> mods = new ArrayList<>();
    for (Map<String, Object> m :
        (List<Map<String, Object>>) item.getOrDefault("modifiers", List.of())) {
      mods.add(
          new LineModifier(
              str(m.get("modifier_id")),
              str(m.get("name")),
              Money.parse("price", str(m.get("price")))));
    }
    List<Discount> discounts = new ArrayList<>();
    for (Map<String, Object> d :
        (List<Map<String, Object>>) item.getOrDefault("discounts", List.of())) {
      discounts.add(discount(d));
    }
    return new OrderLine(
        str(item.get("line_id")),
        str(item.get("menu_item_id")),
        str(item.get("name")),
        Money.parse("unit_price", str(item.get("unit_price"))),
        ((Number) item.get("quantity")).intValue(),
        str(item.get("tax_group_id")),
        mods,
        discounts);
  }

  static Map<String, Object> discount(Discount d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("name", d.name());
    m.put("type", d.type().wireName());
    m.put("value", d.value().toPlainString());
    return m;
  }

  static Discount discount(Map<String, Object> m) {
    return new Discount(
        str(m.get("id")),
        str(m.get("name")),
        AdjustmentType.parse(str(m.get("type"))),
        new BigDecimal(str(m.get("value"))));
  }

  static Map<String, Object> charge(ServiceCharge c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("name", c.name());
    m.put("type", c.type().wireName());
    m.put("value", c.value().toPlainString());
    m.put("taxable", c.taxable());
    if (c.taxGroupId() != null) {
      m.put("tax_group_id", c.taxGroupId());
    }
    return m;
  }

  static ServiceCharge charge(Map<String, Object> m) {
    return new ServiceCharge(
        str(m.get("id")),
        str(m.get("name")),
        AdjustmentType.parse(str(m.get("type"))),
        new BigDecimal(str(m.get("value"))),
        Boolean.TRUE.equals(m.get("taxable")),
        str(m.get("tax_group_id")));
  }

  @SuppressWarnings("unchecked")
  static List<Discount> discounts(Map<String, Object> data) {
    List<Discount> out = new ArrayList<>();
    for (Map<String, Object> d :
        (List<Map<String, Object>>) data.getOrDefault("discounts", List.of())) {
      out.add(discount(d));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<ServiceCharge> charges(Map<String, Object> data) {
    List<ServiceCharge> out = new ArrayList<>();
    for (Map<String, Object> c :
        (List<Map<String, Object>>) data.getOrDefault("charges", List.of())) {
      out.add(charge(c));
    }
    return out;
  }

  /**
   * Prices the stored inputs and writes the result into {@code data}: lines (with their modifiers
   * and notes), taxes, totals and the balance still due after {@code amount_paid}.
   *
   * @throws IllegalArgumentException when a line's tax group is no longer configured
   */
  static void price(Map<String, Object> data, Map<String, TaxGroup> taxGroups) {
    List<Map<String, Object>> items = items(data);
    List<OrderLine> lines = items.stream().map(OrderDocument::line).toList();
    PricedOrder p =
        dev.olympus.core.orders.OrderPricer.price(lines, discounts(data), charges(data), taxGroups);
    List<Map<String, Object>> priced = new ArrayList<>();
    for (int i = 0; i < p.lines().size(); i++) {
      PricedOrder.Line l = p.lines().get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("line_id", l.lineId());
      m.put("menu_item_id", l.menuItemId());
      m.put("name", l.name());
      m.put("quantity", l.quantity());
      m.put("modifiers", items.get(i).getOrDefault("modifiers", List.of()));
      if (items.get(i).get("note") != null) {
        m.put("note", items.get(i).get("note"));
      }
      m.put("tax_group_id", l.taxGroupId());
      m.put("unit_price", Money.format(l.unitPrice()));
      m.put("extended", Money.format(l.extended()));
      m.put("discount", Money.format(l.discount()));
      m.put("net", Money.format(l.net()));
      priced.add(m);
    }
    List<Map<String, Object>> taxes = new ArrayList<>();
    for (PricedOrder.TaxGroupTotal t : p.taxes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tax_group_id", t.taxGroupId());
      m.put("name", t.name());
      m.put("rate", t.rate().toPlainString());
      m.put("inclusive", t.inclusive());
      m.put("taxable", Money.format(t.taxable()));
      m.put("tax", Money.format(t.tax()));
      taxes.add(m);
    }
    data.put("lines", priced);
    data.put("taxes", taxes);
    data.put("order_discounts", adjustments(p.orderDiscounts()));
    data.put("service_charges", adjustments(p.serviceCharges()));
    data.put("subtotal", Money.format(p.subtotal()));
    data.put("discount_total", Money.format(p.discountTotal()));
    data.put("service_charge_total", Money.format(p.serviceChargeTotal()));
    data.put("tax", Money.format(p.tax()));
    data.put("included_tax", Money.format(p.includedTax()));
    data.put("total", Money.format(p.total()));
    BigDecimal paid = amount(data, "amount_paid");
    data.put("amount_paid", Money.format(paid));
    data.put("balance_due", Money.format(p.total().subtract(paid).max(Money.ZERO)));
  }

  private static List<Map<String, Object>> adjustments(List<PricedOrder.AppliedAdjustment> list) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PricedOrder.AppliedAdjustment a : list) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", a.id());
      m.put("name", a.name());
      m.put("type", a.type().wireName());
      m.put("value", a.value().toPlainString());
      m.put("amount", Money.format(a.amount()));
      out.add(m);
    }
    return out;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
