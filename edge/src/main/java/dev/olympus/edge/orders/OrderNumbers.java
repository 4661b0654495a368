package dev.olympus.edge.orders;

import dev.olympus.core.orders.OrderNumber;
import java.time.LocalDate;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives order numbers from a counter per location and business date in the edge's database, so
 * numbers are given offline, survive restarts and never repeat: the counter is incremented and read
 * in one statement, inside the transaction that writes the order when the caller passes its handle,
 * and SQLite has one writer. A day's first order gets {@code 0001}. Numbers rolled back with their
 * order's transaction are given again; numbers of committed orders never are.
 */
public final class OrderNumbers {
  private static final Logger log = LoggerFactory.getLogger(OrderNumbers.class);

  private final Jdbi jdbi;

  public OrderNumbers(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The next number, in a transaction of its own. */
  public OrderNumber next(String locationId, LocalDate businessDate) {
    return jdbi.inTransaction(h -> next(h, locationId, businessDate));
  }

  /** The next number, inside the caller's transaction (the one writing the order). */
  public static OrderNumber next(Handle h, String locationId, LocalDate businessDate) {
    Objects.requireNonNull(locationId, "locationId");
    Objects.requireNonNull(businessDate, "businessDate");
    long n =
        h.createQuery(
                "INSERT INTO order_number_counters (location_id, business_date, last_number)"
                    + " VALUES (?, ?, 1) ON CONFLICT (location_id, business_date)"
                    + " DO UPDATE SET last_number = last_number + 1 RETURNING last_number")
            .bind(0, locationId)
            .bind(1, businessDate.toString())
            .mapTo(Long.class)
            .one();
    if (n == 1) {
      log.info("first order number of business date {} at location {}", businessDate, locationId);
    }
    return new OrderNumber(locationId, businessDate, n);
  }

  /** The last number given for that day, 0 when none was. */
  public long lastGiven(String locationId, LocalDate businessDate) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT last_number FROM order_number_counters"
                        + " WHERE location_id = ? AND business_date = ?")
                .bind(0, locationId)
                .bind(1, businessDate.toString())
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }
}
