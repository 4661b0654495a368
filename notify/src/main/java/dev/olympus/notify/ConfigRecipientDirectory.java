package dev.olympus.notify;

import dev.olympus.notify.ConfigRecords.ConfigRecord;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipients from synced configuration: {@code roles} with {@code receives_alerts}, the {@code
 * employees} holding them ({@code phone}, {@code email}), their {@code shifts} (except those of a
 * {@code schedules} draft, {@code published: false}) and the location's {@code
 * notification_contacts}.
 *
 * <p>Shift times are ISO-8601: an instant or offset time is taken as is, a local date-time is read
 * in the property's {@code timezone} (UTC when it has none).
 */
public final class ConfigRecipientDirectory implements RecipientDirectory {
  private static final Logger log = LoggerFactory.getLogger(ConfigRecipientDirectory.class);

  private final ConfigRecords records;

  public ConfigRecipientDirectory(ConfigRecords records) {
    this.records = records;
  }

  @Override
  public List<Recipient> onDutyManagers(String tenantId, String locationId, Instant at) {
    Set<String> alertRoles = new HashSet<>();
    for (ConfigRecord role : records.list(tenantId, locationId, "roles")) {
      if (Boolean.TRUE.equals(role.data().get("receives_alerts"))) {
        alertRoles.add(role.id());
      }
    }
    if (alertRoles.isEmpty()) {
      return List.of();
    }
    Map<String, ConfigRecord> managers = new HashMap<>();
    for (ConfigRecord employee : records.list(tenantId, locationId, "employees")) {
      if (alertRoles.contains(employee.text("role_id"))
          && !"terminated".equals(employee.text("status"))) {
        managers.put(employee.id(), employee);
      }
    }
    if (managers.isEmpty()) {
      return List.of();
    }
    Set<String> draftSchedules = new HashSet<>();
    for (ConfigRecord schedule : records.list(tenantId, locationId, "schedules")) {
      if (Boolean.FALSE.equals(schedule.data().get("published"))) {
        draftSchedules.add(schedule.id());
      }
    }
    ZoneId zone = zoneOf(tenantId, locationId);
    Set<String> onDuty = new LinkedHashSet<>();
    for (ConfigRecord shift : records.list(tenantId, locationId, "shifts")) {
      String employeeId = shift.text("employee_id");
      if (!managers.containsKey(employeeId) || draftSchedules.contains(shift.text("schedule_id"))) {
        continue;
      }
      Instant start = instant(shift.text("starts_at"), zone, shift.id());
      Instant end = instant(shift.text("ends_at"), zone, shift.id());
      if (start != null && end != null && !at.isBefore(start) && at.isBefore(end)) {
        onDuty.add(employeeId);
      }
    }
    List<Recipient> result = new ArrayList<>();
    for (String id : onDuty) {
      ConfigRecord e = managers.get(id);
      String name = (orEmpty(e.text("first_name")) + " " + orEmpty(e.text("last_name"))).strip();
      result.add(Recipient.of(name.isEmpty() ? id : name, e.text("phone"), e.text("email")));
    }
    result.sort(Comparator.comparing(Recipient::name));
    return List.copyOf(result);
  }

  @Override
  public List<Recipient> contacts(String tenantId, String locationId) {
    List<Recipient> result = new ArrayList<>();
    for (ConfigRecord c : records.list(tenantId, locationId, "notification_contacts")) {
      if (Boolean.FALSE.equals(c.data().get("active"))) {
        continue;
      }
      Set<Channel> channels = new HashSet<>();
      for (String s : strings(c.data().get("channels"))) {
        try {
          channels.add(Channel.fromWire(s.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          log.warn("notification contact {} lists an unknown channel '{}', ignored", c.id(), s);
        }
      }
      Set<String> receives = new HashSet<>();
      for (String s : strings(c.data().get("receives"))) {
        receives.add(s.toLowerCase(Locale.ROOT));
      }
      String name = c.text("name") == null ? c.id() : c.text("name");
      result.add(new Recipient(name, c.text("phone"), c.text("email"), channels, receives));
    }
    result.sort(Comparator.comparing(Recipient::name));
    return List.copyOf(result);
  }

  private ZoneId zoneOf(String tenantId, String locationId) {
    for (ConfigRecord p : records.list(tenantId, locationId, "properties")) {
      if (p.id().equals(locationId) && p.text("timezone") != null) {
        try {
          return ZoneId.of(p.text("timezone"));
        } catch (DateTimeException e) {
          log.warn(
              "property {} has an unknown timezone '{}', shifts read in UTC",
              p.id(),
              p.text("timezone"));
        }
      }
    }
    return ZoneOffset.UTC;
  }

  private static Instant instant(String text, ZoneId zone, String shiftId) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeException notAnInstant) {
      // An offset or a local time, tried below.
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException notOffset) {
      // A local time, tried below.
    }
    try {
      return LocalDateTime.parse(text).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      log.warn("shift {} has an unreadable time '{}' (expected ISO-8601), ignored", shiftId, text);
      return null;
    }
  }

  private static List<String> strings(Object value) {
    if (value instanceof Collection<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        if (o instanceof String s && !s.isBlank()) {
          out.add(s.strip());
        }
      }
      return out;
    }
    if (value instanceof String s && !s.isBlank()) {
      List<String> out = new ArrayList<>();
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
      return out;
    }
    return List.of();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
