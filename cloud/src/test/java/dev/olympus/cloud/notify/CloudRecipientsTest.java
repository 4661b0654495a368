package dev.olympus.cloud.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.olympus.cloud.TestDatabases;
import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertEvent;
import dev.olympus.core.iot.AlertRule;
import dev.olympus.core.iot.AlertStatus;
import dev.olympus.notify.Notification;
import dev.olympus.notify.Notifier;
import dev.olympus.notify.NotifySettings;
import dev.olympus.notify.Recipient;
import dev.olympus.store.Database;
import dev.olympus.store.Dialect;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cloud's recipients and notification log, on SQLite and on PostgreSQL (migration V8). */
class CloudRecipientsTest {
  static final Instant NOON = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir Path dir;

  static void put(
      Database db, String tenant, String location, String type, String id, Map<String, ?> data)
      throws Exception {
    String json = new ObjectMapper().writeValueAsString(data);
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO config_entities"
                        + " (enterprise_id, entity_type, id, property_id, data, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, 0)",
                    tenant,
                    type,
                    id,
                    location,
                    json));
  }

  static void restaurant(Database db, String tenant, String location, String phone)
      throws Exception {
    put(db, tenant, null, "roles", tenant + "-mgr", Map.of("name", "GM", "receives_alerts", true));
    put(
        db,
        tenant,
        location,
        "employees",
        tenant + "-e1",
        Map.of(
            "first_name", "Ana", "last_name", "Diaz", "role_id", tenant + "-mgr", "phone", phone));
    put(
        db,
        tenant,
        location,
        "shifts",
        tenant + "-s1",
        Map.of(
            "employee_id",
            tenant + "-e1",
            "starts_at",
            "2026-12-04T09:00:00Z",
            "ends_at",
            "2026-12-04T17:00:00Z"));
    put(
        db,
        tenant,
        location,
        "notification_contacts",
        tenant + "-c1",
        Map.of("name", "Owner", "phone", phone + "9"));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void directoryAndNotifier_areTenantScoped_andDeliverOnce(Dialect dialect) throws Exception {
    String tenant = TestDatabases.unique("t");
    String other = TestDatabases.unique("t");
    String location = TestDatabases.unique("loc");
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        ex -> {
          try (ex) {
            received.add(ex.getRequestHeaders().getFirst("X-Olympus-Delivery"));
            ex.sendResponseHeaders(204, -1);
          }
        });
    hook.start();
    try (Database db = TestDatabases.open(dialect, dir)) {
      restaurant(db, tenant, location, "+15551000001");
      // Another tenant's manager on the same location id must never be told.
      restaurant(db, other, location, "+15552000002");
      var directory = CloudRecipients.directory(db.jdbi());

      assertThat(directory.onDutyManagers(tenant, location, NOON))
          .extracting(Recipient::phone)
          .containsExactly("+15551000001");
      assertThat(directory.contacts(tenant, location))
          .extracting(Recipient::phone)
          .containsExactly("+155510000019");

      var settings =
          NotifySettings.none()
              .withTwilio(
                  new NotifySettings.TwilioSettings(
                      "AC1", "token", "+15550000000", URI.create("http://127.0.0.1:1")))
              .withWebhooks(
                  List.of(URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook")),
                  null)
              .withTiming(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(50));
      var alert =
          new Alert(
              "alert-" + tenant,
              tenant,
              location,
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
      try (var notifier = new Notifier(db.jdbi(), settings, directory, Clock.systemUTC())) {
        // SMS goes to a closed port and stays queued for retries; the webhook is delivered.
        assertThat(notifier.submit(event)).isEqualTo(2);
        assertThat(notifier.submit(event)).isZero();
        notifier.start();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    notifier.history(tenant, location, alert.alertId(), 10).stream()
                        .anyMatch(n -> n.status().equals(Notification.SENT)));
      }
      try (var restarted = new Notifier(db.jdbi(), settings, directory, Clock.systemUTC())) {
        assertThat(restarted.submit(event)).isZero();
        List<Notification> log = restarted.history(tenant, null, null, 10);
        assertThat(log)
            .extracting(n -> n.channel().wireName() + " " + n.recipient())
            .containsExactlyInAnyOrder(
                "sms +15551000001",
                "webhook http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
        assertThat(restarted.history(other, null, null, 10)).isEmpty();
      }
      assertThat(received).hasSize(1);
    } finally {
      hook.stop(0);
    }
  }
}
