package dev.olympus.core.orders;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A service charge (config type {@code service_charges}). A percentage is taken of the order after
 * all discounts. A taxable charge is taxed at the rate of its tax group ({@code tax_group_id}, an
 * extra field the registry stores as sent), because a charge has no items to inherit a rate from.
 *
 * @param value per cent (0 to 100) for {@link AdjustmentType#PERCENT}, an amount otherwise
 * @param taxGroupId required when {@code taxable}, else null
 */
public record ServiceCharge(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("type") AdjustmentType type,
    @JsonProperty("value") BigDecimal value,
    @JsonProperty("taxable") boolean taxable,
    @JsonProperty("tax_group_id") String taxGroupId) {
  public ServiceCharge {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    name = name == null ? id : name;
    value = Adjustments.checkValue("service charge " + id, type, value);
    if (taxable && taxGroupId == null) {
      throw new IllegalArgumentException(
          "service charge "
              + id
              + " is taxable but names no tax_group_id: give it the tax group whose rate applies");
    }
  }
}
