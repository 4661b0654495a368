package dev.olympus.core.orders;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/**
 * A priced order. Amounts have two places and travel as strings. By construction {@code total =
 * subtotal - discount_total + service_charge_total + tax}; inclusive taxes are already inside the
 * prices and are reported in {@code included_tax} only.
 *
 * @param subtotal the sum of the lines' extended amounts, before any discount
 * @param itemDiscountTotal the sum of the item-level discounts
 * @param orderDiscountTotal the sum of the order-level discounts
 * @param discountTotal item-level plus order-level discounts
 * @param tax exclusive tax added to the total
 * @param includedTax inclusive tax contained in the prices (informational)
 */
public record PricedOrder(
    @JsonProperty("lines") List<Line> lines,
    @JsonProperty("order_discounts") List<AppliedAdjustment> orderDiscounts,
    @JsonProperty("service_charges") List<AppliedAdjustment> serviceCharges,
    @JsonProperty("taxes") List<TaxGroupTotal> taxes,
    @JsonProperty("subtotal") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal subtotal,
    @JsonProperty("item_discount_total") @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal itemDiscountTotal,
    @JsonProperty("order_discount_total") @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal orderDiscountTotal,
    @JsonProperty("discount_total") @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal discountTotal,
    @JsonProperty("service_charge_total") @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal serviceChargeTotal,
    @JsonProperty("tax") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal tax,
    @JsonProperty("included_tax") @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal includedTax,
    @JsonProperty("total") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal total) {
  public PricedOrder {
    lines = List.copyOf(lines);
    orderDiscounts = List.copyOf(orderDiscounts);
    serviceCharges = List.copyOf(serviceCharges);
    taxes = List.copyOf(taxes);
  }

  /** The total in minor units (cents), as card processors want it. */
  public long totalMinorUnits() {
    return Money.toMinorUnits(total);
  }

  /**
   * One priced line.
   *
   * @param unitPrice the item's price plus its modifiers' prices
   * @param extended {@code unitPrice * quantity}
   * @param discount the line's item-level discounts, never more than {@code extended}
   * @param net {@code extended - discount}
   */
  public record Line(
      @JsonProperty("line_id") String lineId,
      @JsonProperty("menu_item_id") String menuItemId,
      @JsonProperty("name") String name,
      @JsonProperty("quantity") int quantity,
      @JsonProperty("tax_group_id") String taxGroupId,
      @JsonProperty("unit_price") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal unitPrice,
      @JsonProperty("extended") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal extended,
      @JsonProperty("discount") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal discount,
      @JsonProperty("net") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal net) {}

  /** A discount or service charge as applied: {@code amount} is what it took or added. */
  public record AppliedAdjustment(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("type") AdjustmentType type,
      @JsonProperty("value") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal value,
      @JsonProperty("amount") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount) {}

  /**
   * The tax of one tax group.
   *
   * @param itemsNet the net of its lines after item-level discounts
   * @param orderDiscount its share of the order-level discounts
   * @param serviceCharges the taxable service charges taxed at its rate
   * @param taxable {@code itemsNet - orderDiscount + serviceCharges}
   * @param tax {@code taxable * rate} for an exclusive group, {@code taxable * rate / (1 + rate)}
   *     for an inclusive one, rounded once half up
   */
  public record TaxGroupTotal(
      @JsonProperty("tax_group_id") String taxGroupId,
      @JsonProperty("name") String name,
      @JsonProperty("rate") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal rate,
      @JsonProperty("inclusive") boolean inclusive,
      @JsonProperty("items_net") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal itemsNet,
      @JsonProperty("order_discount") @JsonFormat(shape = JsonFormat.Shape.STRING)
          BigDecimal orderDiscount,
      @JsonProperty("service_charges") @JsonFormat(shape = JsonFormat.Shape.STRING)
          BigDecimal serviceCharges,
      @JsonProperty("taxable") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal taxable,
      @JsonProperty("tax") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal tax) {}
}
