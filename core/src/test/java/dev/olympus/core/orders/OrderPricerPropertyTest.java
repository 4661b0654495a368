package dev.olympus.core.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The pricer's invariants over arbitrary orders, discounts, service charges and tax groups. */
class OrderPricerPropertyTest {
  static final Map<String, TaxGroup> GROUPS =
      Map.of(
          "food", new TaxGroup("food", null, new BigDecimal("0.0875"), false),
          "alcohol", new TaxGroup("alcohol", null, new BigDecimal("0.1025"), false),
          "zero", new TaxGroup("zero", null, BigDecimal.ZERO, false),
          "vat", new TaxGroup("vat", null, new BigDecimal("0.19"), true));

  record Order(List<OrderLine> lines, List<Discount> discounts, List<ServiceCharge> charges) {
    PricedOrder price() {
      return OrderPricer.price(lines, discounts, charges, GROUPS);
    }
  }

  @Property(tries = 500)
  void total_isSubtotalMinusDiscountsPlusChargesPlusTax_exactly(@ForAll("orders") Order o) {
    PricedOrder p = o.price();

    assertThat(p.total())
        .isEqualTo(
            p.subtotal().subtract(p.discountTotal()).add(p.serviceChargeTotal()).add(p.tax()));
    assertThat(p.discountTotal()).isEqualTo(p.itemDiscountTotal().add(p.orderDiscountTotal()));
    assertThat(sum(p.lines().stream().map(PricedOrder.Line::extended).toList()))
        .isEqualByComparingTo(p.subtotal());
    assertThat(sum(p.lines().stream().map(PricedOrder.Line::discount).toList()))
        .isEqualByComparingTo(p.itemDiscountTotal());
    assertThat(sum(p.taxes().stream().filter(t -> !t.inclusive()).map(t -> t.tax()).toList()))
        .isEqualByComparingTo(p.tax());
    assertThat(sum(p.taxes().stream().map(PricedOrder.TaxGroupTotal::orderDiscount).toList()))
        .isEqualByComparingTo(p.orderDiscountTotal());
    for (BigDecimal amount :
        List.of(p.subtotal(), p.discountTotal(), p.serviceChargeTotal(), p.tax(), p.total())) {
      assertThat(amount.scale()).isEqualTo(2);
    }
  }

  @Property(tries = 300)
  void addingAnItem_neverLowersTheSubtotal(
      @ForAll("orders") Order o, @ForAll("lines") OrderLine extra) {
    List<OrderLine> more = new ArrayList<>(o.lines());
    more.add(extra);

    PricedOrder before = o.price();
    PricedOrder after = new Order(more, o.discounts(), o.charges()).price();

    assertThat(after.subtotal()).isGreaterThanOrEqualTo(before.subtotal());
  }

  @Property(tries = 300)
  void lineOrder_doesNotChangeTheTotals(@ForAll("orders") Order o, @ForAll long seed) {
    List<OrderLine> shuffled = new ArrayList<>(o.lines());
    Collections.shuffle(shuffled, new Random(seed));

    PricedOrder a = o.price();
    PricedOrder b = new Order(shuffled, o.discounts(), o.charges()).price();

    assertThat(b.subtotal()).isEqualTo(a.subtotal());
    assertThat(b.discountTotal()).isEqualTo(a.discountTotal());
    assertThat(b.serviceChargeTotal()).isEqualTo(a.serviceChargeTotal());
    assertThat(b.tax()).isEqualTo(a.tax());
    assertThat(b.includedTax()).isEqualTo(a.includedTax());
    assertThat(b.total()).isEqualTo(a.total());
    assertThat(b.taxes()).isEqualTo(a.taxes());
  }

  @Property(tries = 500)
  void nothing_isEverNegative(@ForAll("orders") Order o) {
    PricedOrder p = o.price();

    for (PricedOrder.Line l : p.lines()) {
      assertThat(l.net().signum()).isNotNegative();
    }
    for (PricedOrder.TaxGroupTotal t : p.taxes()) {
      assertThat(t.taxable().signum()).isNotNegative();
      assertThat(t.tax().signum()).isNotNegative();
    }
    assertThat(p.subtotal().subtract(p.discountTotal()).signum()).isNotNegative();
    assertThat(p.tax().signum()).isNotNegative();
    assertThat(p.total().signum()).isNotNegative();
  }

  @Provide
  Arbitrary<Order> orders() {
    return Combinators.combine(
            lines().list().ofMaxSize(12),
            discounts().list().ofMaxSize(3),
            charges().list().ofMaxSize(3))
        .as(Order::new);
  }

  @Provide
  Arbitrary<OrderLine> lines() {
    Arbitrary<BigDecimal> price = cents(0, 50_000);
    Arbitrary<LineModifier> modifier =
        Combinators.combine(Arbitraries.strings().alpha().ofLength(3), cents(0, 500))
            .as((id, p) -> new LineModifier(id, null, p));
    return Combinators.combine(
            Arbitraries.strings().alpha().ofLength(8),
            price,
            Arbitraries.integers().between(1, 20),
            Arbitraries.of(GROUPS.keySet()),
            modifier.list().ofMaxSize(3),
            discounts().list().ofMaxSize(2))
        .as((id, p, q, g, mods, ds) -> new OrderLine(id, "item", null, p, q, g, mods, ds));
  }

  Arbitrary<Discount> discounts() {
    Arbitrary<Discount> percent =
        Arbitraries.bigDecimals()
            .between(BigDecimal.ZERO, BigDecimal.valueOf(100))
            .ofScale(2)
            .map(v -> new Discount("p", null, AdjustmentType.PERCENT, v));
    Arbitrary<Discount> amount =
        cents(0, 100_000).map(v -> new Discount("a", null, AdjustmentType.AMOUNT, v));
    return Arbitraries.oneOf(percent, amount);
  }

  Arbitrary<ServiceCharge> charges() {
    Arbitrary<String> taxGroup = Arbitraries.of("food", "alcohol", "zero", "vat");
    Arbitrary<ServiceCharge> percent =
        Combinators.combine(
                Arbitraries.bigDecimals()
                    .between(BigDecimal.ZERO, BigDecimal.valueOf(30))
                    .ofScale(2),
                Arbitraries.of(true, false),
                taxGroup)
            .as((v, t, g) -> new ServiceCharge("sp", null, AdjustmentType.PERCENT, v, t, g));
    Arbitrary<ServiceCharge> amount =
        Combinators.combine(cents(0, 2_000), Arbitraries.of(true, false), taxGroup)
            .as((v, t, g) -> new ServiceCharge("sa", null, AdjustmentType.AMOUNT, v, t, g));
    return Arbitraries.oneOf(percent, amount);
  }

  static Arbitrary<BigDecimal> cents(long min, long max) {
    return Arbitraries.longs().between(min, max).map(c -> BigDecimal.valueOf(c, 2));
  }

  static BigDecimal sum(List<BigDecimal> values) {
    return values.stream().reduce(Money.ZERO, BigDecimal::add);
  }
}
