package dev.olympus.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigRecipientDirectoryTest {
  static final Instant NINE_THIRTY_IN_CHICAGO = Instant.parse("2026-03-02T15:30:00Z");

  static MapConfigRecords restaurant() {
    return new MapConfigRecords()
        .put("properties", "loc-1", Map.of("name", "Downtown", "timezone", "America/Chicago"))
        .put("roles", "gm", Map.of("name", "General manager", "receives_alerts", true))
        .put("roles", "server", Map.of("name", "Server", "receives_alerts", false))
        .put("employees", "dana", employee("Dana", "gm", "+15550000001", "active"))
        .put("employees", "eve", employee("Eve", "gm", "+15550000002", "terminated"))
        .put("employees", "finn", employee("Finn", "server", "+15550000003", "active"))
        .put("employees", "gil", employee("Gil", "gm", "+15550000004", "active"))
        .put("schedules", "week-10", Map.of("week_start", "2026-03-02", "published", true))
        .put("schedules", "draft", Map.of("week_start", "2026-03-02", "published", false))
        // Local times, read in the property's timezone: 09:00-17:00 Chicago is 15:00-23:00 UTC.
        .put("shifts", "s1", shift("dana", "2026-03-02T09:00:00", "2026-03-02T17:00:00", "week-10"))
        .put("shifts", "s2", shift("eve", "2026-03-02T09:00:00", "2026-03-02T17:00:00", "week-10"))
        .put("shifts", "s3", shift("finn", "2026-03-02T09:00:00", "2026-03-02T17:00:00", "week-10"))
        .put("shifts", "s4", shift("gil", "2026-03-02T09:00:00", "2026-03-02T17:00:00", "draft"));
  }

  static Map<String, Object> employee(String name, String role, String phone, String status) {
    return Map.of(
        "first_name", name, "last_name", "X", "role_id", role, "phone", phone, "status", status);
  }

  static Map<String, Object> shift(String employee, String start, String end, String schedule) {
    return Map.of(
        "employee_id", employee, "starts_at", start, "ends_at", end, "schedule_id", schedule);
  }

  @Test
  void onDutyManagers_shiftInLocalTime_findsTheActiveManagerOfAPublishedSchedule() {
    var directory = new ConfigRecipientDirectory(restaurant());

    List<Recipient> onDuty = directory.onDutyManagers("t", "loc-1", NINE_THIRTY_IN_CHICAGO);

    assertThat(onDuty).extracting(Recipient::name).containsExactly("Dana X");
    assertThat(onDuty.get(0).phone()).isEqualTo("+15550000001");
  }

  @Test
  void onDutyManagers_outsideEveryShift_isEmpty() {
    var directory = new ConfigRecipientDirectory(restaurant());

    // 08:59 in Chicago: Dana's shift has not started; 17:00 sharp: it has ended.
    assertThat(directory.onDutyManagers("t", "loc-1", Instant.parse("2026-03-02T14:59:00Z")))
        .isEmpty();
    assertThat(directory.onDutyManagers("t", "loc-1", Instant.parse("2026-03-02T23:00:00Z")))
        .isEmpty();
  }

  @Test
  void contacts_readChannelsAndWhatTheyReceive() {
    var records =
        new MapConfigRecords()
            .put(
                "notification_contacts",
                "c1",
                Map.of(
                    "name",
                    "Owner",
                    "phone",
                    "+1555",
                    "email",
                    "o@example.com",
                    "channels",
                    List.of("SMS"),
                    "receives",
                    List.of("critical")))
            .put("notification_contacts", "c2", Map.of("name", "Old", "active", false));

    List<Recipient> contacts = new ConfigRecipientDirectory(records).contacts("t", "loc-1");

    assertThat(contacts).hasSize(1);
    Recipient owner = contacts.get(0);
    assertThat(owner.channels()).isEqualTo(Set.of(Channel.SMS));
    assertThat(owner.addressOn(Channel.SMS)).isEqualTo("+1555");
    assertThat(owner.addressOn(Channel.EMAIL)).isNull();
    assertThat(
            owner.wants(
                NotifierTest.alert(
                    "a",
                    dev.olympus.core.iot.AlertRule.TEMPERATURE_HIGH,
                    dev.olympus.core.iot.AlertStatus.ACTIVE,
                    0)))
        .isTrue();
    assertThat(
            owner.wants(
                NotifierTest.alert(
                    "a",
                    dev.olympus.core.iot.AlertRule.DOOR_OPEN,
                    dev.olympus.core.iot.AlertStatus.ACTIVE,
                    0)))
        .isFalse();
  }
}
