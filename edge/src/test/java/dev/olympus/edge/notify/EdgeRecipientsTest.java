package dev.olympus.edge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertEvent;
import dev.olympus.core.iot.AlertRule;
import dev.olympus.core.iot.AlertStatus;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.store.Json;
import dev.olympus.notify.Channel;
import dev.olympus.notify.Notification;
import dev.olympus.notify.Notifier;
import dev.olympus.notify.NotifySettings;
import dev.olympus.notify.Recipient;
import dev.olympus.store.Database;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeRecipientsTest {
  static final String LOCATION = "loc-1";
  static final Instant NOON = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir Path dir;
  Database db;

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, TestEdges.API_KEY, LOCATION);
    put("properties", LOCATION, Map.of("name", "Downtown", "timezone", "UTC"));
    put("roles", "mgr", Map.of("name", "Manager", "receives_alerts", true));
    put(
        "employees",
        "emp-1",
        Map.of(
            "first_name",
            "Mia",
            "last_name",
            "Lee",
            "role_id",
            "mgr",
            "phone",
            "+15550001111",
            "email",
            "mia@example.com"));
    put(
        "shifts",
        "sh-1",
        Map.of(
            "employee_id", "emp-1",
            "starts_at", "2026-12-04T08:00:00",
            "ends_at", "2026-12-04T16:00:00"));
    put("notification_contacts", "owner", Map.of("name", "Owner", "phone", "+15550002222"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  void put(String type, String id, Map<String, Object> data) {
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO config_entities (entity_type, entity_id, data) VALUES (?, ?, ?)",
                    type,
                    id,
                    Json.write(data)));
  }

  @Test
  void directory_readsTheOnDutyManagerAndContactsFromTheConfigCache() {
    var directory = EdgeRecipients.directory(new ConfigCache(db.jdbi()));

    assertThat(directory.onDutyManagers("t", LOCATION, NOON))
        .extracting(Recipient::name, Recipient::phone)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Mia Lee", "+15550001111"));
    assertThat(directory.onDutyManagers("t", LOCATION, NOON.plusSeconds(5 * 3600))).isEmpty();
    assertThat(directory.contacts("t", LOCATION))
        .extracting(Recipient::phone)
        .containsExactly("+15550002222");
  }

  @Test
  void notifier_onTheEdgeDatabase_queuesTheManagersSmsOnce() {
    var settings =
        NotifySettings.none()
            .withTwilio(
                new NotifySettings.TwilioSettings(
                    "AC1", "token", "+15550000000", URI.create("http://127.0.0.1:1")));
    // Not started: this checks what is stored, which is all the ingest thread waits for.
    try (var notifier =
        new Notifier(
            db.jdbi(),
            settings,
            EdgeRecipients.directory(new ConfigCache(db.jdbi())),
            Clock.systemUTC())) {
      var alert =
          new Alert(
              "alert-1",
              "t",
              LOCATION,
              "cooler-1",
              AlertRule.TEMPERATURE_HIGH,
              AlertRule.TEMPERATURE_HIGH.severity(),
              AlertStatus.ACTIVE,
              NOON.minusSeconds(600),
              NOON,
              null,
              null,
              null,
              41.0,
              38.0,
              0,
              "Walk-In Cooler at 41°F");
      var event = new AlertEvent(AlertEvent.Kind.RAISED, alert, true);

      assertThat(notifier.submit(event)).isEqualTo(1);
      assertThat(notifier.submit(event)).isZero();

      List<Notification> log = notifier.history("t", LOCATION, "alert-1", 10);
      assertThat(log).hasSize(1);
      assertThat(log.get(0).channel()).isEqualTo(Channel.SMS);
      assertThat(log.get(0).recipient()).isEqualTo("+15550001111");
      assertThat(log.get(0).status()).isEqualTo("pending");
    }
  }
}
