package dev.olympus.core.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderPricerTest {
  static final TaxGroup FOOD = new TaxGroup("food", "Food", new BigDecimal("0.0875"), false);
  static final TaxGroup ALCOHOL = new TaxGroup("alcohol", "Alcohol", new BigDecimal("0.10"), false);
  static final TaxGroup VAT = new TaxGroup("vat", "VAT", new BigDecimal("0.20"), true);
  static final Map<String, TaxGroup> GROUPS = Map.of("food", FOOD, "alcohol", ALCOHOL, "vat", VAT);

  static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void price_burgerWithModifiersAndBeer_worksOutToTheCent() {
    OrderLine burger =
        new OrderLine(
            "l1",
            "burger",
            "Cheeseburger",
            d("9.50"),
            2,
            "food",
            List.of(
                new LineModifier("bacon", "Bacon", d("1.25")),
                new LineModifier("no-onion", "No onion", d("0"))),
            List.of());
    OrderLine beer = OrderLine.of("l2", "beer", d("6.00"), 1, "alcohol");

    PricedOrder p = OrderPricer.price(List.of(burger, beer), List.of(), List.of(), GROUPS);

    assertThat(p.lines().get(0).unitPrice()).isEqualByComparingTo("10.75");
    assertThat(p.lines().get(0).extended()).isEqualByComparingTo("21.50");
    assertThat(p.subtotal()).isEqualByComparingTo("27.50");
    // food 21.50 * 0.0875 = 1.88125 -> 1.88; alcohol 6.00 * 0.10 = 0.60
    assertThat(p.tax()).isEqualByComparingTo("2.48");
    assertThat(p.total()).isEqualByComparingTo("29.98");
    assertThat(p.totalMinorUnits()).isEqualTo(2998);
  }

  @Test
  void price_taxIsRoundedOncePerTaxGroupNotPerLine() {
    List<OrderLine> lines =
        List.of(
            OrderLine.of("a", "x", d("1.00"), 1, "food"),
            OrderLine.of("b", "x", d("1.00"), 1, "food"),
            OrderLine.of("c", "x", d("1.00"), 1, "food"));

    PricedOrder p = OrderPricer.price(lines, List.of(), List.of(), GROUPS);

    // per line it would be 3 x round(0.0875) = 0.27; per group round(0.2625) = 0.26
    assertThat(p.tax()).isEqualByComparingTo("0.26");
  }

  @Test
  void price_halfACentRoundsUp() {
    Discount fivePercent = new Discount("d5", "5%", AdjustmentType.PERCENT, d("5"));
    OrderLine line =
        new OrderLine(
            "l1", "x", null, d("0.10"), 1, "food", List.of(), List.of(fivePercent)); // 0.005

    PricedOrder p = OrderPricer.price(List.of(line), List.of(), List.of(), GROUPS);

    assertThat(p.lines().get(0).discount()).isEqualByComparingTo("0.01");
  }

  @Test
  void price_itemDiscountsLargerThanTheLine_stopAtZero() {
    Discount five = new Discount("d", "5 off", AdjustmentType.AMOUNT, d("5.00"));
    Discount half = new Discount("h", "half", AdjustmentType.PERCENT, d("50"));
    OrderLine line =
        new OrderLine("l1", "x", null, d("4.00"), 1, "food", List.of(), List.of(half, five));

    PricedOrder p = OrderPricer.price(List.of(line), List.of(), List.of(), GROUPS);

    assertThat(p.lines().get(0).discount()).isEqualByComparingTo("4.00");
    assertThat(p.lines().get(0).net()).isEqualByComparingTo("0.00");
    assertThat(p.total()).isEqualByComparingTo("0.00");
  }

  @Test
  void price_orderDiscountIsSharedAmongTaxGroupsToTheCent() {
    List<OrderLine> lines =
        List.of(
            OrderLine.of("a", "burger", d("10.00"), 1, "food"),
            OrderLine.of("b", "beer", d("5.00"), 1, "alcohol"));
    Discount oneOff = new Discount("d1", "1 off", AdjustmentType.AMOUNT, d("1.00"));

    PricedOrder p = OrderPricer.price(lines, List.of(oneOff), List.of(), GROUPS);

    // 1.00 shared 2:1 -> 0.67 food, 0.33 alcohol (largest remainder)
    Map<String, PricedOrder.TaxGroupTotal> byGroup = byGroup(p);
    assertThat(byGroup.get("food").orderDiscount()).isEqualByComparingTo("0.67");
    assertThat(byGroup.get("alcohol").orderDiscount()).isEqualByComparingTo("0.33");
    assertThat(byGroup.get("food").tax()).isEqualByComparingTo("0.82"); // 9.33 * 0.0875 = 0.816
    assertThat(byGroup.get("alcohol").tax()).isEqualByComparingTo("0.47"); // 4.67 * 0.1 = 0.467
    assertThat(p.total()).isEqualByComparingTo("15.29"); // 15 - 1 + 1.29
  }

  @Test
  void price_serviceCharges_percentOfTheDiscountedOrderAndTaxedOnlyWhenTaxable() {
    List<OrderLine> lines = List.of(OrderLine.of("a", "steak", d("40.00"), 1, "food"));
    Discount tenPercent = new Discount("d10", "10%", AdjustmentType.PERCENT, d("10"));
    ServiceCharge gratuity =
        new ServiceCharge("g", "Gratuity", AdjustmentType.PERCENT, d("18"), false, null);
    ServiceCharge delivery =
        new ServiceCharge("dl", "Delivery", AdjustmentType.AMOUNT, d("3.00"), true, "food");

    PricedOrder p =
        OrderPricer.price(lines, List.of(tenPercent), List.of(gratuity, delivery), GROUPS);

    assertThat(p.orderDiscountTotal()).isEqualByComparingTo("4.00");
    assertThat(p.serviceCharges().get(0).amount()).isEqualByComparingTo("6.48"); // 18% of 36
    assertThat(p.serviceChargeTotal()).isEqualByComparingTo("9.48");
    assertThat(byGroup(p).get("food").taxable()).isEqualByComparingTo("39.00"); // 36 + 3
    assertThat(p.tax()).isEqualByComparingTo("3.41"); // 3.4125
    assertThat(p.total()).isEqualByComparingTo("48.89"); // 40 - 4 + 9.48 + 3.41
  }

  @Test
  void price_inclusiveTax_isReportedButNotAdded() {
    PricedOrder p =
        OrderPricer.price(
            List.of(OrderLine.of("a", "x", d("12.00"), 1, "vat")), List.of(), List.of(), GROUPS);

    assertThat(p.includedTax()).isEqualByComparingTo("2.00"); // 12 * 0.2 / 1.2
    assertThat(p.tax()).isEqualByComparingTo("0.00");
    assertThat(p.total()).isEqualByComparingTo("12.00");
  }

  @Test
  void price_unknownTaxGroup_isRefusedNamingTheLine() {
    assertThatThrownBy(
            () ->
                OrderPricer.price(
                    List.of(OrderLine.of("l9", "x", d("1.00"), 1, "nope")),
                    List.of(),
                    List.of(),
                    GROUPS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line l9")
        .hasMessageContaining("nope");
  }

  @Test
  void inputs_badMoney_areRefusedWithTheValue() {
    assertThatThrownBy(() -> OrderLine.of("l", "x", d("9.505"), 1, "food"))
        .hasMessageContaining("more than two decimal places")
        .hasMessageContaining("9.505");
    assertThatThrownBy(() -> OrderLine.of("l", "x", d("-1.00"), 1, "food"))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> OrderLine.of("l", "x", d("1.00"), 0, "food"))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new Discount("d", null, AdjustmentType.PERCENT, d("120")))
        .hasMessageContaining("between 0 and 100");
    assertThatThrownBy(() -> new TaxGroup("t", null, d("8.75"), false))
        .hasMessageContaining("0.0875");
    assertThatThrownBy(() -> Money.parse("price", "nine"))
        .hasMessageContaining("price is not a decimal");
  }

  @Test
  void pricedOrder_json_carriesMoneyAsTwoPlaceStrings() throws Exception {
    PricedOrder p =
        OrderPricer.price(
            List.of(OrderLine.of("a", "x", d("10"), 1, "food")), List.of(), List.of(), GROUPS);

    JsonNode json = new ObjectMapper().valueToTree(p);

    assertThat(json.get("subtotal").isTextual()).isTrue();
    assertThat(json.get("subtotal").asText()).isEqualTo("10.00");
    assertThat(json.get("tax").asText()).isEqualTo("0.88");
    assertThat(json.get("total").asText()).isEqualTo("10.88");
    assertThat(json.get("lines").get(0).get("net").asText()).isEqualTo("10.00");
    assertThat(json.get("taxes").get(0).get("rate").asText()).isEqualTo("0.0875");
  }

  @Test
  void pricingCatalog_fromConfigEntities_buildsLinesAtMenuPrices() {
    PricingCatalog catalog =
        PricingCatalog.fromConfig(
            List.of(
                Map.of(
                    "id",
                    "burger",
                    "name",
                    "Cheeseburger",
                    "price",
                    "9.50",
                    "slu_id",
                    "s",
                    "tax_group_id",
                    "food"),
                Map.of(
                    "id",
                    "old",
                    "name",
                    "Old",
                    "price",
                    "1.00",
                    "tax_group_id",
                    "food",
                    "active",
                    false)),
            List.of(Map.of("id", "bacon", "name", "Bacon", "price", "1.25")),
            List.of(Map.of("id", "food", "name", "Food", "rate", "0.0875")),
            List.of(Map.of("id", "staff", "name", "Staff", "type", "percent", "value", "50")),
            List.of(
                Map.of(
                    "id",
                    "sc",
                    "name",
                    "Service",
                    "type",
                    "amount",
                    "value",
                    "2.00",
                    "auto_apply",
                    true)));

    OrderLine line = catalog.line("l1", "burger", 2, List.of("bacon"), List.of("staff"));
    PricedOrder p =
        OrderPricer.price(
            List.of(line), List.of(), catalog.autoAppliedServiceCharges(), catalog.taxGroups());

    assertThat(line.name()).isEqualTo("Cheeseburger");
    assertThat(p.subtotal()).isEqualByComparingTo("21.50");
    assertThat(p.discountTotal()).isEqualByComparingTo("10.75");
    assertThat(p.serviceChargeTotal()).isEqualByComparingTo("2.00");
    assertThatThrownBy(() -> catalog.line("l2", "old", 1, List.of(), List.of()))
        .hasMessageContaining("not active");
    assertThatThrownBy(() -> catalog.line("l2", "ghost", 1, List.of(), List.of()))
        .hasMessageContaining("ghost");
  }

  @Test
  void share_isExactAndNeverMoreThanAWeight() {
    Map<String, BigDecimal> shares =
        OrderPricer.share(d("0.10"), Map.of("a", d("1.00"), "b", d("1.00"), "c", d("1.00")));

    assertThat(shares.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo("0.10");
    assertThat(shares.get("a")).isEqualByComparingTo("0.04"); // tie broken by key
    assertThat(shares.get("b")).isEqualByComparingTo("0.03");
  }

  private static Map<String, PricedOrder.TaxGroupTotal> byGroup(PricedOrder p) {
    return p.taxes().stream()
        .collect(java.util.stream.Collectors.toMap(PricedOrder.TaxGroupTotal::taxGroupId, t -> t));
  }
}
