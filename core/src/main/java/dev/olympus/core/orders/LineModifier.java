package dev.olympus.core.orders;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.Objects;

/** A modifier chosen on a line (config type {@code modifiers}); its price counts once per unit. */
public record LineModifier(
    @JsonProperty("modifier_id") String modifierId,
    @JsonProperty("name") String name,
    @JsonProperty("price") BigDecimal price) {
  public LineModifier {
    Objects.requireNonNull(modifierId, "modifierId");
    name = name == null ? modifierId : name;
    price = Money.amount("price of modifier " + modifierId, price);
  }
}
