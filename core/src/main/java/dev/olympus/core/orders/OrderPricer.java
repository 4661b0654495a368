package dev.olympus.core.orders;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prices an order in exact decimal arithmetic. The rules, in order:
 *
 * <ol>
 *   <li><b>Lines.</b> {@code extended = (item price + modifier prices) * quantity}, exact (prices
 *       have at most two places). {@code subtotal} is the sum of the extended amounts.
 *   <li><b>Item-level discounts</b> are taken of their line's extended amount: a percentage is
 *       rounded to the cent half up, an amount is taken as is; together they never take more than
 *       the line (each is capped at what is left), so a line never goes below zero.
 *   <li><b>Order-level discounts</b> are taken of the order after item discounts, in the same way
 *       and with the same cap. For tax they are shared among the tax groups in proportion to each
 *       group's net (largest remainder to the cent, ties by tax group id), so the shares add up
 *       exactly and do not depend on line order.
 *   <li><b>Service charges</b>: a percentage is taken of the order after all discounts, rounded to
 *       the cent half up; an amount is added as is. A taxable charge joins its tax group's base.
 *   <li><b>Tax is rounded once per order per tax group</b>, half up: {@code round(taxable * rate)}.
 *       Rounding each line instead would drift by a cent per line (three 1.00 items at 8.75 % are
 *       0.26 of tax, not 3 × 0.09). An inclusive group's tax, {@code round(taxable * rate / (1 +
 *       rate))}, is already in the prices and is reported apart.
 *   <li>{@code total = subtotal - discount_total + service_charge_total + tax}.
 * </ol>
 */
public final class OrderPricer {
  private OrderPricer() {}

  /**
   * Prices an order.
   *
   * @param taxGroups tax groups by id; every line's and taxable service charge's group must be here
   * @throws IllegalArgumentException naming the line or charge whose tax group is unknown
   */
  public static PricedOrder price(
      List<OrderLine> lines,
      List<Discount> orderDiscounts,
      List<ServiceCharge> serviceCharges,
      Map<String, TaxGroup> taxGroups) {
    // Per tax group, sorted by id so that every later step is independent of line order.
    Map<String, BigDecimal> netByGroup = new TreeMap<>();
    List<PricedOrder.Line> priced = new ArrayList<>(lines.size());
    BigDecimal subtotal = Money.ZERO;
    BigDecimal itemDiscounts = Money.ZERO;
    for (OrderLine line : lines) {
      requireGroup(taxGroups, line.taxGroupId(), "line " + line.lineId());
      BigDecimal unit = line.unitPrice();
      for (LineModifier m : line.modifiers()) {
        unit = unit.add(m.price());
      }
      BigDecimal extended = unit.multiply(BigDecimal.valueOf(line.quantity()));
      BigDecimal discount = sumApplied(apply(extended, line.discounts()));
      BigDecimal net = extended.subtract(discount);
      priced.add(
          new PricedOrder.Line(
              line.lineId(),
              line.menuItemId(),
              line.name(),
              line.quantity(),
              line.taxGroupId(),
              unit,
              extended,
              discount,
              net));
      subtotal = subtotal.add(extended);
      itemDiscounts = itemDiscounts.add(discount);
      netByGroup.merge(line.taxGroupId(), net, BigDecimal::add);
    }

    BigDecimal afterItemDiscounts = subtotal.subtract(itemDiscounts);
    List<PricedOrder.AppliedAdjustment> appliedDiscounts =
        apply(afterItemDiscounts, orderDiscounts);
    BigDecimal orderDiscount = sumApplied(appliedDiscounts);
    Map<String, BigDecimal> discountShare = share(orderDiscount, netByGroup);

    BigDecimal afterDiscounts = afterItemDiscounts.subtract(orderDiscount);
    List<PricedOrder.AppliedAdjustment> appliedCharges = new ArrayList<>();
    Map<String, BigDecimal> taxableCharges = new TreeMap<>();
    BigDecimal chargeTotal = Money.ZERO;
    for (ServiceCharge c : serviceCharges) {
      BigDecimal amount =
          c.type() == AdjustmentType.PERCENT
              ? Money.percentOf(afterDiscounts, c.value())
              : c.value();
      appliedCharges.add(
          new PricedOrder.AppliedAdjustment(c.id(), c.name(), c.type(), c.value(), amount));
      chargeTotal = chargeTotal.add(amount);
      if (c.taxable()) {
        requireGroup(taxGroups, c.taxGroupId(), "service charge " + c.id());
        taxableCharges.merge(c.taxGroupId(), amount, BigDecimal::add);
      }
    }

    Map<String, BigDecimal> groups = new TreeMap<>(netByGroup);
    taxableCharges.keySet().forEach(id -> groups.putIfAbsent(id, Money.ZERO));
    List<PricedOrder.TaxGroupTotal> taxes = new ArrayList<>();
    BigDecimal tax = Money.ZERO;
    BigDecimal includedTax = Money.ZERO;
    for (Map.Entry<String, BigDecimal> g : groups.entrySet()) {
      TaxGroup group = taxGroups.get(g.getKey());
      BigDecimal groupDiscount = discountShare.getOrDefault(g.getKey(), Money.ZERO);
      BigDecimal groupCharges = taxableCharges.getOrDefault(g.getKey(), Money.ZERO);
      BigDecimal taxable = g.getValue().subtract(groupDiscount).add(groupCharges);
      BigDecimal groupTax;
      if (group.inclusive()) {
        groupTax =
            taxable
                .multiply(group.rate())
                .divide(BigDecimal.ONE.add(group.rate()), Money.SCALE, Money.ROUNDING);
        includedTax = includedTax.add(groupTax);
      } else {
        groupTax = Money.round(taxable.multiply(group.rate()));
        tax = tax.add(groupTax);
      }
      taxes.add(
          new PricedOrder.TaxGroupTotal(
              group.id(),
              group.name(),
              group.rate(),
              group.inclusive(),
              g.getValue(),
              groupDiscount,
              groupCharges,
              taxable,
              groupTax));
    }

    BigDecimal discountTotal = itemDiscounts.add(orderDiscount);
    BigDecimal total = subtotal.subtract(discountTotal).add(chargeTotal).add(tax);
    return new PricedOrder(
        priced,
        appliedDiscounts,
        appliedCharges,
        taxes,
        subtotal,
        itemDiscounts,
        orderDiscount,
        discountTotal,
        chargeTotal,
        tax,
        includedTax,
        total);
  }

  /** Applies discounts to {@code base}, each capped at what the ones before it left. */
  private static List<PricedOrder.AppliedAdjustment> apply(
      BigDecimal base, List<Discount> discounts) {
    List<PricedOrder.AppliedAdjustment> applied = new ArrayList<>(discounts.size());
    BigDecimal left = base;
    for (Discount d : discounts) {
      BigDecimal wanted =
          d.type() == AdjustmentType.PERCENT ? Money.percentOf(base, d.value()) : d.value();
      BigDecimal taken = wanted.min(left);
      left = left.subtract(taken);
      applied.add(new PricedOrder.AppliedAdjustment(d.id(), d.name(), d.type(), d.value(), taken));
    }
    return applied;
  }

  private static BigDecimal sumApplied(List<PricedOrder.AppliedAdjustment> applied) {
    BigDecimal sum = Money.ZERO;
    for (PricedOrder.AppliedAdjustment a : applied) {
      sum = sum.add(a.amount());
    }
    return sum;
  }

  /**
   * Shares {@code amount} (at most the sum of {@code weights}) among the keys in proportion to
   * their weights, to the cent, by largest remainder: the shares add up to {@code amount} exactly.
   */
  static Map<String, BigDecimal> share(BigDecimal amount, Map<String, BigDecimal> weights) {
    Map<String, BigDecimal> shares = new TreeMap<>();
    BigDecimal weightSum = weights.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    if (amount.signum() == 0 || weightSum.signum() == 0) {
      weights.keySet().forEach(k -> shares.put(k, Money.ZERO));
      return shares;
    }
    record Part(String key, BigDecimal floor, BigDecimal remainder) {}
    List<Part> parts = new ArrayList<>();
    BigDecimal given = Money.ZERO;
    BigDecimal cents = amount.movePointRight(Money.SCALE);
    for (Map.Entry<String, BigDecimal> w : weights.entrySet()) {
      BigDecimal exactCents = cents.multiply(w.getValue()).divide(weightSum, 12, RoundingMode.DOWN);
      BigDecimal floor = exactCents.setScale(0, RoundingMode.DOWN);
      parts.add(new Part(w.getKey(), floor.movePointLeft(Money.SCALE), exactCents.subtract(floor)));
      given = given.add(floor.movePointLeft(Money.SCALE));
    }
    long missingCents = amount.subtract(given).movePointRight(Money.SCALE).longValueExact();
    parts.sort(Comparator.comparing(Part::remainder).reversed().thenComparing(Part::key));
    BigDecimal cent = BigDecimal.ONE.movePointLeft(Money.SCALE);
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      BigDecimal s = i < missingCents ? p.floor().add(cent) : p.floor();
      shares.put(p.key(), s.setScale(Money.SCALE));
    }
    return shares;
  }

  private static void requireGroup(Map<String, TaxGroup> groups, String id, String what) {
    if (!groups.containsKey(id)) {
      throw new IllegalArgumentException(
          what
              + " names tax group "
              + id
              + ", which is not configured: add it to tax_groups or fix the tax_group_id");
    }
  }
}
