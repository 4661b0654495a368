package dev.olympus.edge.orders;

import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigEntity;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The restaurant's business date and time zone, from the property's config: its {@code
 * business_date} when the cloud sets one (a day that ends after midnight is closed by the back
 * office, not by the clock), else today in the property's {@code timezone} (UTC when it has none).
 */
public final class BusinessDates {
  private final ConfigCache config;
  private final Clock clock;

  public BusinessDates(ConfigCache config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The business date orders, punches and movements are booked on now. */
  public LocalDate today() {
    Optional<ConfigEntity> property = config.property();
    Optional<LocalDate> configured =
        property.flatMap(p -> p.text("business_date")).flatMap(BusinessDates::parse);
    return configured.orElseGet(() -> LocalDate.now(clock.withZone(zone(property))));
  }

  /** The property's time zone (UTC when it has none or an unknown one). */
  public ZoneId zone() {
    return zone(config.property());
  }

  private static ZoneId zone(Optional<ConfigEntity> property) {
    return property
        .flatMap(p -> p.text("timezone"))
        .flatMap(
            tz -> {
              try {
                return Optional.of(ZoneId.of(tz));
              } catch (DateTimeException e) {
                return Optional.empty();
              }
            })
        .orElse(ZoneOffset.UTC);
  }

  private static Optional<LocalDate> parse(String date) {
    try {
      return Optional.of(LocalDate.parse(date));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}
