package dev.olympus.core.orders;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A tax group (config type {@code tax_groups}).
 *
 * @param rate a fraction: {@code 0.0875} is 8.75 %
 * @param inclusive the prices of its items already contain the tax (VAT style): the tax is reported
 *     but not added to the total
 */
public record TaxGroup(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("rate") BigDecimal rate,
    @JsonProperty("inclusive") boolean inclusive) {
  public TaxGroup {
    Objects.requireNonNull(id, "id");
    name = name == null ? id : name;
    if (rate == null || rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) >= 0) {
      throw new IllegalArgumentException(
          "tax group "
              + id
              + " needs a rate between 0 and 1 (\"0.0875\" is 8.75 %), was "
              + (rate == null ? "missing" : rate.toPlainString()));
    }
  }
}
