package dev.olympus.core.orders;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A discount (config type {@code discounts}) applied to one line or to the whole order.
 *
 * @param value per cent (0 to 100) for {@link AdjustmentType#PERCENT}, an amount otherwise
 */
public record Discount(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("type") AdjustmentType type,
    @JsonProperty("value") BigDecimal value) {
  public Discount {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    name = name == null ? id : name;
    value = Adjustments.checkValue("discount " + id, type, value);
  }
}
