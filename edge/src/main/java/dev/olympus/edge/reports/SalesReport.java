package dev.olympus.edge.reports;

import dev.olympus.core.orders.Money;
import dev.olympus.edge.orders.BusinessDates;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * A business date's sales from the edge's own records, so a manager gets the day's numbers while
 * the internet is down: totals, and sales by hour (of the property's time zone), tender, employee
 * and item. Void orders are left out (and counted apart), as are card payments the processor
 * declined. {@code local_only} is true while the outbox still holds writes the cloud has not got:
 * the cloud's report may differ until they are synced.
 */
public final class SalesReport {
  private final RecordStore records;
  private final BusinessDates dates;
  private final LongSupplier unsynced;

  /**
   * @param unsynced how many local writes wait in the outbox
   */
  public SalesReport(RecordStore records, BusinessDates dates, LongSupplier unsynced) {
    this.records = records;
    this.dates = dates;
    this.unsynced = unsynced;
  }

  /** The report of {@code businessDate}. */
  public Map<String, Object> of(LocalDate businessDate) {
    String date = businessDate.toString();
    Map<String, Totals> byHour = new TreeMap<>();
    Map<String, Totals> byEmployee = new TreeMap<>();
    Map<String, ItemTotals> byItem = new TreeMap<>();
    Totals all = new Totals();
    BigDecimal subtotal = Money.ZERO;
    BigDecimal discounts = Money.ZERO;
    BigDecimal charges = Money.ZERO;
    BigDecimal tax = Money.ZERO;
    int voided = 0;
    Set<String> voidOrders = new HashSet<>();
    for (LocalRecord order : records.listBy("orders", "business_date", date)) {
      Map<String, Object> o = order.data();
      if ("void".equals(o.get("status"))) {
        voided++;
        voidOrders.add(order.id());
        continue;
      }
      BigDecimal total = amount(o.get("total"));
      all.add(total);
      subtotal = subtotal.add(amount(o.get("subtotal")));
      discounts = discounts.add(amount(o.get("discount_total")));
      charges = charges.add(amount(o.get("service_charge_total")));
      tax = tax.add(amount(o.get("tax")));
      byHour.computeIfAbsent(hour(o.get("created_at")), h -> new Totals()).add(total);
      byEmployee
          .computeIfAbsent(String.valueOf(o.getOrDefault("employee_id", "none")), e -> new Totals())
          .add(total);
      if (o.get("lines") instanceof List<?> lines) {
        for (Object l : lines) {
          if (l instanceof Map<?, ?> line) {
            ItemTotals it =
                byItem.computeIfAbsent(
                    String.valueOf(line.get("menu_item_id")),
                    id -> new ItemTotals(String.valueOf(line.get("name"))));
            it.quantity += line.get("quantity") instanceof Number n ? n.intValue() : 0;
            it.net = it.net.add(amount(line.get("net")));
          }
        }
      }
    }
    Set<String> declined = new HashSet<>();
    for (LocalRecord s : records.listBy("payment_settlements", "status", "declined")) {
      declined.add(s.id());
    }
    for (LocalRecord s : records.listBy("payment_settlements", "status", "failed")) {
      declined.add(s.id());
    }
    Map<String, TenderTotals> byTender = new TreeMap<>();
    for (LocalRecord p : records.listBy("payments", "business_date", date)) {
      if (declined.contains(p.id()) || voidOrders.contains(p.data().get("order_id"))) {
        continue;
      }
      TenderTotals t =
          byTender.computeIfAbsent(String.valueOf(p.data().get("tender")), x -> new TenderTotals());
      t.count++;
      t.amount = t.amount.add(amount(p.data().get("amount")));
      t.tip = t.tip.add(amount(p.data().get("tip")));
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("business_date", date);
    report.put("local_only", unsynced.getAsLong() > 0);
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("orders", all.orders);
    totals.put("subtotal", Money.format(subtotal));
    totals.put("discount_total", Money.format(discounts));
    totals.put("service_charge_total", Money.format(charges));
    totals.put("tax", Money.format(tax));
    totals.put("total", Money.format(all.total));
    totals.put("void_orders", voided);
    report.put("totals", totals);
    report.put("by_hour", rows("hour", byHour));
    report.put("by_employee", rows("employee_id", byEmployee));
    List<Map<String, Object>> tenders = new ArrayList<>();
    byTender.forEach(
        (tender, t) -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("tender", tender);
          row.put("payments", t.count);
          row.put("amount", Money.format(t.amount));
          row.put("tip", Money.format(t.tip));
          tenders.add(row);
        });
    report.put("by_tender", tenders);
    List<Map<String, Object>> items = new ArrayList<>();
    byItem.forEach(
        (id, t) -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("menu_item_id", id);
          row.put("name", t.name);
          row.put("quantity", t.quantity);
          row.put("net", Money.format(t.net));
          items.add(row);
        });
    report.put("by_item", items);
    return report;
  }

  private static List<Map<String, Object>> rows(String key, Map<String, Totals> totals) {
    List<Map<String, Object>> rows = new ArrayList<>();
    totals.forEach(
        (k, t) -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put(key, k);
          row.put("orders", t.orders);
          row.put("total", Money.format(t.total));
          rows.add(row);
        });
    return rows;
  }

  /** The hour an order was opened, {@code "00"}–{@code "23"} in the property's time zone. */
  private String hour(Object createdAt) {
    try {
      int h = Instant.parse(String.valueOf(createdAt)).atZone(dates.zone()).getHour();
      return (h < 10 ? "0" : "") + h;
    } catch (DateTimeParseException e) {
      return "unknown";
    }
  }

  private static BigDecimal amount(Object v) {
    if (v == null) {
      return Money.ZERO;
    }
    try {
      return Money.round(new BigDecimal(v.toString()));
    } catch (NumberFormatException e) {
      return Money.ZERO;
    }
  }

  private static final class Totals {
    int orders;
    BigDecimal total = Money.ZERO;

    void add(BigDecimal amount) {
      orders++;
      total = total.add(amount);
    }
  }

  private static final class ItemTotals {
    final String name;
    int quantity;
    BigDecimal net = Money.ZERO;

    ItemTotals(String name) {
      this.name = name;
    }
  }

  private static final class TenderTotals {
    int count;
    BigDecimal amount = Money.ZERO;
    BigDecimal tip = Money.ZERO;
  }
}
