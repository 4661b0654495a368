package dev.olympus.edge.timeclock;

import dev.olympus.core.sync.UuidV7;
import dev.olympus.edge.auth.PinAuthenticator;
import dev.olympus.edge.orders.BusinessDates;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.store.RecordStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Clock-ins and breaks, checked against the employee's synced PIN (the same check, throttle and
 * refusals as PIN login), stored as records of {@code time_punches} so payroll in the cloud gets
 * them, offline too.
 */
public final class TimePunches {
  /** The collection punches are stored in. */
  public static final String COLLECTION = "time_punches";

  public static final Set<String> TYPES =
      Set.of("clock_in", "clock_out", "break_start", "break_end");

  private final RecordStore records;
  private final PinAuthenticator pins;
  private final BusinessDates dates;
  private final String locationId;
  private final Clock clock;
  private final Random random;

  public TimePunches(
      RecordStore records,
      PinAuthenticator pins,
      BusinessDates dates,
      String locationId,
      Clock clock,
      Random random) {
    this.records = records;
    this.pins = pins;
    this.dates = dates;
    this.locationId = locationId;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Records a punch once the PIN is right.
   *
   * @throws ApiException 401 wrong PIN (or unknown, terminated employee), 429 too many attempts,
   *     503 the PIN checker is busy
   */
  public RecordStore.WriteResult punch(
      String employeeId, String pin, String type, String idempotencyKey) {
    switch (pins.authenticate(employeeId, pin)) {
      case PinAuthenticator.Accepted a -> {}
      case PinAuthenticator.Refused r ->
          throw new ApiException(
              401,
              "invalid_credentials",
              "employee id or PIN is wrong, or the employee may not clock in",
              "pin");
      case PinAuthenticator.Throttled t ->
          throw new ApiException(
              429,
              "too_many_attempts",
              "too many PIN attempts for this employee: try again in "
                  + Math.max(1, t.retryAfter().toSeconds())
                  + " s",
              "employee_id");
      case PinAuthenticator.Busy b ->
          throw new ApiException(
              503, "busy", "the edge is checking many PINs at once: try again in a moment", null);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("employee_id", employeeId);
    data.put("type", type);
    data.put("punched_at", clock.instant().toString());
    data.put("business_date", dates.today().toString());
    data.put("location_id", locationId);
    return records.insert(COLLECTION, UuidV7.next(clock, random), data, idempotencyKey);
  }
}
