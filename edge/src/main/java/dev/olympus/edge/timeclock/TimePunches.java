package dev.olympus.edge.timeclock;

import dev.olympus.core.sync.UuidV7;
import dev.olympus.edge.auth.PinAuthenticator;
import dev.olympus.edge.orders.BusinessDates;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.pos.KeyedWrites;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clock-ins and breaks, checked against the employee's synced PIN (the same check, throttle and
 * refusals as PIN login), stored as records of {@code time_punches} so payroll in the cloud gets
 * them, offline too.
 */
public final class TimePunches {
  private static final Logger log = LoggerFactory.getLogger(TimePunches.class);

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
   * @throws ApiException 401 wrong PIN (or unknown, terminated employee), 409 {@code
   *     punch_out_of_sequence} (a clock-out without a clock-in, a break end without a break start,
   *     a second clock-in), 429 too many attempts, 503 the PIN checker is busy
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
    String id = UuidV7.next(clock, random);
    return KeyedWrites.decide(
        records,
        idempotencyKey,
        COLLECTION,
        id,
        () ->
            records.inTransaction(
                tx -> {
                  Optional<RecordStore.WriteResult> again = replay(tx, idempotencyKey);
                  if (again.isPresent()) {
                    return again.get();
                  }
                  // Read and written in one transaction of the single writer: two terminals
                  // clocking the same employee in at once get one 201 and one 409.
                  requireInSequence(type, latestPunch(tx, employeeId));
                  Map<String, Object> data = new LinkedHashMap<>();
                  data.put("employee_id", employeeId);
                  data.put("type", type);
                  data.put("punched_at", clock.instant().toString());
                  data.put("business_date", dates.today().toString());
                  data.put("location_id", locationId);
                  LocalRecord written = tx.put(COLLECTION, id, data, idempotencyKey);
                  if (idempotencyKey != null) {
                    tx.remember(idempotencyKey, COLLECTION, id, 201);
                  }
                  log.info("employee {} punched {}", employeeId, type);
                  return new RecordStore.WriteResult(written, true, false);
                }));
  }

  /** The punch a retried key made, when the key was seen before. */
  private static Optional<RecordStore.WriteResult> replay(RecordStore.Tx tx, String key) {
    if (key == null) {
      return Optional.empty();
    }
    return tx.seen(key)
        .map(
            first ->
                new RecordStore.WriteResult(
                    KeyedWrites.firstRecord(tx, key, first, COLLECTION, "punch"), true, true));
  }

  /**
   * The employee's latest punch, wherever it was made (this edge, or another terminal whose punch
   * came through the cloud): the latest by version, the hybrid clock every write carries, which
   * orders writes across nodes and never goes backwards on one.
   */
  private static Optional<String> latestPunch(RecordStore.Tx tx, String employeeId) {
    LocalRecord latest = null;
    for (LocalRecord r : tx.listBy(COLLECTION, "employee_id", employeeId)) {
      // Records written through the generic records API may carry no punch type: not a punch.
      if (!(r.data().get("type") instanceof String t) || !TYPES.contains(t)) {
        continue;
      }
      if (latest == null || r.version() > latest.version()) {
        latest = r;
      }
    }
    return latest == null
        ? Optional.empty()
        : Optional.of(String.valueOf(latest.data().get("type")));
  }

  /**
   * Refuses a punch that does not follow the last one: clock in when off the clock; break start or
   * clock out when on the clock; break end when on a break (a clock-out on a break is refused too,
   * so a break is never left open on the timesheet). An employee who forgot to clock out yesterday
   * clocks out now, then in: no state needs a manager to get out of.
   */
  static void requireInSequence(String type, Optional<String> last) {
    String state =
        switch (last.orElse("clock_out")) {
          case "clock_in", "break_end" -> "on the clock";
          case "break_start" -> "on a break";
          default -> "off the clock";
        };
    boolean allowed =
        switch (state) {
          case "on the clock" -> type.equals("clock_out") || type.equals("break_start");
          case "on a break" -> type.equals("break_end");
          default -> type.equals("clock_in");
        };
    if (!allowed) {
      String expected =
          switch (state) {
            case "on the clock" -> "clock_out or break_start";
            case "on a break" -> "break_end";
            default -> "clock_in";
          };
      throw new ApiException(
          409,
          "punch_out_of_sequence",
          "a "
              + type
              + " punch does not follow "
              + last.map(l -> "the employee's last punch (" + l + ")").orElse("no punch")
              + ": the employee is "
              + state
              + ", so the next punch must be "
              + expected,
          "type");
    }
  }
}
