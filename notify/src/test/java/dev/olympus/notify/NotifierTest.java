package dev.olympus.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertEvent;
import dev.olympus.core.iot.AlertRule;
import dev.olympus.core.iot.AlertStatus;
import dev.olympus.store.Database;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierTest {
  static final String TENANT = "tenant-1";
  static final String LOCATION = "loc-1";
  static final Instant NOW = Instant.now();

  @TempDir Path dir;
  FakeTwilio twilio;
  GreenMail smtp;
  WebhookReceiver hooks;
  final List<Database> databases = new ArrayList<>();
  final List<Notifier> notifiers = new ArrayList<>();
  MapConfigRecords config;

  @BeforeEach
  void setUp() throws Exception {
    twilio = new FakeTwilio();
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    hooks = new WebhookReceiver();
    config =
        new MapConfigRecords()
            .put("roles", "manager", Map.of("name", "Manager", "receives_alerts", true))
            .put("roles", "cook", Map.of("name", "Cook"))
            .put(
                "employees",
                "alice",
                Map.of(
                    "first_name",
                    "Alice",
                    "last_name",
                    "Ng",
                    "role_id",
                    "manager",
                    "phone",
                    "+15551110001",
                    "email",
                    "alice@example.com"))
            .put(
                "employees",
                "bob",
                Map.of(
                    "first_name",
                    "Bob",
                    "last_name",
                    "Ray",
                    "role_id",
                    "manager",
                    "phone",
                    "+15551110002",
                    "email",
                    "bob@example.com"))
            .put(
                "employees",
                "carl",
                Map.of(
                    "first_name",
                    "Carl",
                    "last_name",
                    "Cook",
                    "role_id",
                    "cook",
                    "phone",
                    "+15551110003"))
            .put("shifts", "s-alice", shift("alice", NOW.minusSeconds(3600), NOW.plusSeconds(3600)))
            .put(
                "shifts", "s-bob", shift("bob", NOW.minusSeconds(90_000), NOW.minusSeconds(80_000)))
            .put("shifts", "s-carl", shift("carl", NOW.minusSeconds(3600), NOW.plusSeconds(3600)))
            .put(
                "notification_contacts",
                "owner",
                Map.of("name", "Owner", "phone", "+15552220001", "channels", List.of("sms")))
            .put(
                "notification_contacts",
                "facilities",
                Map.of(
                    "name",
                    "Facilities",
                    "email",
                    "facilities@example.com",
                    "receives",
                    List.of("door_open")));
  }

  @AfterEach
  void tearDown() {
    notifiers.forEach(Notifier::close);
    databases.forEach(Database::close);
    twilio.close();
    smtp.stop();
    hooks.close();
  }

  static Map<String, Object> shift(String employee, Instant start, Instant end) {
    return Map.of(
        "employee_id", employee, "starts_at", start.toString(), "ends_at", end.toString());
  }

  NotifySettings settings() {
    return NotifySettings.none()
        .withTwilio(twilio.settings())
        .withSmtp(
            new NotifySettings.SmtpSettings(
                "127.0.0.1", smtp.getSmtp().getPort(), null, null, "alerts@olympus.test"))
        .withWebhooks(List.of(hooks.url()), "hook-secret")
        .withRetries(5, Duration.ofMillis(20), Duration.ofMillis(100))
        .withTiming(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMillis(50));
  }

  Notifier notifier(String file, NotifySettings settings) {
    Database db = Database.sqlite(dir.resolve(file)).migrate("db/notify");
    databases.add(db);
    Notifier n =
        new Notifier(db.jdbi(), settings, new ConfigRecipientDirectory(config), Clock.systemUTC());
    notifiers.add(n);
    return n;
  }

  static Alert alert(String id, AlertRule rule, AlertStatus status, int escalations) {
    return new Alert(
        id,
        TENANT,
        LOCATION,
        "cooler-1",
        rule,
        rule.severity(),
        status,
        NOW.minusSeconds(600),
        NOW,
        null,
        null,
        null,
        41.2,
        38.0,
        escalations,
        "Walk-In Cooler at 41.2°F, above 38°F for 10 min");
  }

  static AlertEvent raised(String id, AlertRule rule) {
    return new AlertEvent(AlertEvent.Kind.RAISED, alert(id, rule, AlertStatus.ACTIVE, 0), true);
  }

  List<Notification> settled(Notifier n, String alertId, int expected) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              List<Notification> h = n.history(TENANT, LOCATION, alertId, 100);
              return h.size() == expected
                  && h.stream()
                      .allMatch(x -> x.status().equals("sent") || x.status().equals("failed"));
            });
    return n.history(TENANT, LOCATION, alertId, 100);
  }

  @Test
  void submit_temperatureHigh_textsAndMailsTheOnDutyManagerOnly() throws Exception {
    Notifier n = notifier("a.db", settings());
    n.start();

    assertThat(n.submit(raised("alert-1", AlertRule.TEMPERATURE_HIGH))).isEqualTo(3);

    List<Notification> log = settled(n, "alert-1", 3);
    assertThat(log).extracting(Notification::status).containsOnly("sent");
    assertThat(log)
        .extracting(x -> x.channel().wireName() + " " + x.recipient())
        .containsExactlyInAnyOrder(
            "sms +15551110001", "email alice@example.com", "webhook " + hooks.url());
    // The SMS is one form-encoded request with basic auth sid:token.
    assertThat(twilio.creations()).hasSize(1);
    FakeTwilio.Request sms = twilio.creations().get(0);
    assertThat(sms.contentType()).startsWith("application/x-www-form-urlencoded");
    assertThat(sms.authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (FakeTwilio.SID + ":" + FakeTwilio.TOKEN)
                            .getBytes(StandardCharsets.UTF_8)));
    assertThat(sms.form())
        .containsEntry("To", "+15551110001")
        .containsEntry("From", FakeTwilio.FROM);
    assertThat(sms.form().get("Body")).contains("Walk-In Cooler at 41.2°F").contains("(ref ");
    Notification smsLog =
        log.stream().filter(x -> x.channel() == Channel.SMS).findFirst().orElseThrow();
    assertThat(smsLog.providerId()).isEqualTo(twilio.accepted().get(0).sid());
    assertThat(smsLog.attempts()).isEqualTo(1);
    assertThat(smsLog.recipientName()).isEqualTo("Alice Ng");
    assertThat(smsLog.sentAt()).isNotNull();
    // One e-mail, to Alice, with a Message-ID derived from the notification.
    MimeMessage[] mails = smtp.getReceivedMessages();
    assertThat(mails).hasSize(1);
    assertThat(mails[0].getAllRecipients()[0].toString()).isEqualTo("alice@example.com");
    assertThat(mails[0].getSubject()).contains("CRITICAL temperature_high on cooler-1");
    Notification mailLog =
        log.stream().filter(x -> x.channel() == Channel.EMAIL).findFirst().orElseThrow();
    assertThat(mails[0].getMessageID()).isEqualTo("<" + mailLog.id() + "@olympus.notify>");
  }

  @Test
  void submit_nobodyOnDuty_tellsTheContactsWhoWantTheAlert() {
    config =
        new MapConfigRecords()
            .put(
                "notification_contacts",
                "owner",
                Map.of("name", "Owner", "phone", "+15552220001", "channels", List.of("sms")))
            .put(
                "notification_contacts",
                "facilities",
                Map.of(
                    "name",
                    "Facilities",
                    "email",
                    "facilities@example.com",
                    "receives",
                    List.of("door_open")));
    Notifier n = notifier("a.db", settings().withWebhooks(List.of(), null));
    n.start();

    n.submit(raised("alert-2", AlertRule.EQUIPMENT_OFFLINE));

    List<Notification> log = settled(n, "alert-2", 1);
    assertThat(log.get(0).channel()).isEqualTo(Channel.SMS);
    assertThat(log.get(0).recipient()).isEqualTo("+15552220001");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void submit_sameEventAgainAndAfterRestart_sendsEachMessageOnce() {
    Notifier first = notifier("same.db", settings());
    first.start();
    AlertEvent event = raised("alert-3", AlertRule.TEMPERATURE_LOW);
    assertThat(first.submit(event)).isEqualTo(3);
    assertThat(first.submit(event)).isZero();
    settled(first, "alert-3", 3);
    first.close();

    // A restart: a new notifier on the same database file, and the hub replays the event.
    Notifier second = notifier("same.db", settings());
    second.start();
    assertThat(second.submit(event)).isZero();
    second.wakeUp();

    assertThat(settled(second, "alert-3", 3)).extracting(Notification::attempts).containsOnly(1);
    assertThat(twilio.creations()).hasSize(1);
    assertThat(smtp.getReceivedMessages()).hasSize(1);
    assertThat(hooks.calls()).hasSize(1);
  }

  @Test
  void delivery_providerFails_retriesWithBackoffUntilSent() {
    twilio.failNext(500, 503);
    Notifier n = notifier("a.db", settings().withSmtp(null).withWebhooks(List.of(), null));
    n.start();

    n.submit(raised("alert-4", AlertRule.TEMPERATURE_HIGH));

    Notification sms = settled(n, "alert-4", 1).get(0);
    assertThat(sms.status()).isEqualTo("sent");
    assertThat(sms.attempts()).isEqualTo(3);
    assertThat(twilio.creations()).hasSize(3);
    assertThat(twilio.accepted()).hasSize(1);
    // Each retry first asked the provider whether an earlier attempt had gone through.
    assertThat(twilio.lookups()).isEqualTo(2);
  }

  @Test
  void delivery_providerRejects_failsAtOnce_andKeepsFailingProviderAfterMaxAttempts() {
    twilio.failNext(400);
    Notifier n = notifier("a.db", settings().withSmtp(null).withWebhooks(List.of(), null));
    n.start();
    n.submit(raised("alert-5", AlertRule.TEMPERATURE_HIGH));
    Notification rejected = settled(n, "alert-5", 1).get(0);
    assertThat(rejected.status()).isEqualTo("failed");
    assertThat(rejected.attempts()).isEqualTo(1);
    assertThat(rejected.lastError()).contains("400");

    twilio.failNext(500, 500, 500, 500, 500);
    n.submit(raised("alert-6", AlertRule.TEMPERATURE_HIGH));
    Notification exhausted = settled(n, "alert-6", 1).get(0);
    assertThat(exhausted.status()).isEqualTo("failed");
    assertThat(exhausted.attempts()).isEqualTo(5);
    assertThat(exhausted.lastError()).contains("500");
  }

  @Test
  void restart_withSmsInFlightThatReachedTheProvider_doesNotSendItAgain() {
    Notifier crashed =
        notifier("crash.db", settings().withSmtp(null).withWebhooks(List.of(), null));
    crashed.submit(raised("alert-7", AlertRule.TEMPERATURE_HIGH));
    Notification queued = crashed.history(TENANT, LOCATION, "alert-7", 10).get(0);
    // The process died after Twilio accepted the message and before it recorded the answer.
    inFlight(databases.get(0), queued.id());
    twilio.preload(queued.recipient(), TwilioSms.text(queued));
    crashed.close();

    Notifier restarted =
        notifier("crash.db", settings().withSmtp(null).withWebhooks(List.of(), null));
    restarted.start();

    Notification sms = settled(restarted, "alert-7", 1).get(0);
    assertThat(sms.status()).isEqualTo("sent");
    assertThat(sms.providerId()).isEqualTo(twilio.accepted().get(0).sid());
    assertThat(twilio.creations()).isEmpty();
    assertThat(twilio.accepted()).hasSize(1);
  }

  @Test
  void restart_withSmsInFlightThatNeverReachedTheProvider_sendsItOnce() {
    Notifier crashed =
        notifier("crash.db", settings().withSmtp(null).withWebhooks(List.of(), null));
    crashed.submit(raised("alert-8", AlertRule.TEMPERATURE_HIGH));
    inFlight(databases.get(0), crashed.history(TENANT, LOCATION, "alert-8", 10).get(0).id());
    crashed.close();

    Notifier restarted =
        notifier("crash.db", settings().withSmtp(null).withWebhooks(List.of(), null));
    restarted.start();

    Notification sms = settled(restarted, "alert-8", 1).get(0);
    assertThat(sms.status()).isEqualTo("sent");
    assertThat(sms.attempts()).isEqualTo(2);
    assertThat(twilio.creations()).hasSize(1);
    assertThat(twilio.lookups()).isEqualTo(1);
  }

  /** Leaves a notification as a process that died mid-send leaves it: claimed, lease run out. */
  static void inFlight(Database db, String id) {
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE notifications SET status = 'sending', attempts = 1, lease_until = ?"
                        + " WHERE id = ?",
                    System.currentTimeMillis() - 1,
                    id));
  }

  @Test
  void submit_doorOpen_notifiesStaff_andEnergySpike_listsADashboardAlert() {
    Notifier n = notifier("a.db", settings().withWebhooks(List.of(), null));
    List<StaffNotification> staff = new CopyOnWriteArrayList<>();
    n.addStaffListener(staff::add);
    n.start();

    n.submit(raised("alert-9", AlertRule.DOOR_OPEN));
    n.submit(raised("alert-10", AlertRule.ENERGY_SPIKE));
    n.submit(
        new AlertEvent(
            AlertEvent.Kind.RESOLVED,
            alert("alert-10", AlertRule.ENERGY_SPIKE, AlertStatus.RESOLVED, 0),
            true));

    settled(n, "alert-9", 1);
    settled(n, "alert-10", 2);
    assertThat(staff).hasSize(1);
    assertThat(staff.get(0).eventKind()).isEqualTo("raised");
    assertThat(staff.get(0).message()).contains("Walk-In Cooler");
    assertThat(n.dashboardAlerts(TENANT, LOCATION, 10))
        .extracting(Notification::eventKind)
        .containsExactlyInAnyOrder("raised", "resolved");
    // Nobody is texted or mailed for a door or an energy spike.
    assertThat(twilio.creations()).isEmpty();
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void submit_escalation_textsManagersAndContactsAgain() {
    Notifier n = notifier("a.db", settings().withWebhooks(List.of(), null));
    n.start();
    n.submit(raised("alert-11", AlertRule.TEMPERATURE_HIGH));
    settled(n, "alert-11", 2);

    AlertEvent escalated =
        new AlertEvent(
            AlertEvent.Kind.ESCALATED,
            alert("alert-11", AlertRule.TEMPERATURE_HIGH, AlertStatus.ACTIVE, 1),
            true);
    assertThat(n.submit(escalated)).isEqualTo(2);
    assertThat(n.submit(escalated)).isZero();

    List<Notification> log = settled(n, "alert-11", 4);
    assertThat(log)
        .filteredOn(x -> x.eventKind().equals("escalated"))
        .extracting(x -> x.channel().wireName() + " " + x.recipient())
        .containsExactlyInAnyOrder("sms +15551110001", "sms +15552220001");
    assertThat(twilio.creations()).hasSize(3);
    assertThat(twilio.creations().get(2).form().get("Body")).contains("ESCALATED");
  }

  @Test
  void submit_eventsNotToNotify_storeNothing() {
    Notifier n = notifier("a.db", settings());
    n.start();
    AlertEvent late =
        new AlertEvent(
            AlertEvent.Kind.RECORDED_LATE,
            alert("alert-12", AlertRule.TEMPERATURE_HIGH, AlertStatus.RESOLVED, 0),
            false);
    AlertEvent replayed =
        new AlertEvent(
            AlertEvent.Kind.RAISED,
            alert("alert-13", AlertRule.TEMPERATURE_HIGH, AlertStatus.ACTIVE, 0),
            false);

    assertThat(n.submit(late)).isZero();
    assertThat(n.submit(replayed)).isZero();
    assertThat(n.history(TENANT, null, null, 100)).isEmpty();
  }

  @Test
  void webhooks_receiveEveryEventSignedWithTheSecret() throws Exception {
    Notifier n = notifier("a.db", settings().withTwilio(null).withSmtp(null));
    n.start();
    n.submit(raised("alert-14", AlertRule.TEMPERATURE_HIGH));
    n.submit(
        new AlertEvent(
            AlertEvent.Kind.ACKNOWLEDGED,
            alert("alert-14", AlertRule.TEMPERATURE_HIGH, AlertStatus.ACKNOWLEDGED, 0),
            true));

    settled(n, "alert-14", 2);
    assertThat(hooks.calls())
        .extracting(WebhookReceiver.Call::event)
        .containsExactlyInAnyOrder("raised", "acknowledged");
    for (WebhookReceiver.Call call : hooks.calls()) {
      assertThat(call.signature()).isEqualTo(Webhooks.signature("hook-secret", call.body()));
      JsonNode json = AlertJson.MAPPER.readTree(call.body());
      assertThat(json.path("event").asText()).isEqualTo(call.event());
      assertThat(json.path("notification_id").asText()).isEqualTo(call.delivery());
      assertThat(json.path("alert").path("alert_id").asText()).isEqualTo("alert-14");
      assertThat(json.path("alert").path("rule").asText()).isEqualTo("temperature_high");
      assertThat(json.path("alert").path("threshold").asDouble()).isEqualTo(38.0);
    }
  }

  @Test
  void history_listsEveryNotificationWithItsOutcome() {
    twilio.failNext(500);
    Notifier n = notifier("a.db", settings());
    n.start();
    n.submit(raised("alert-15", AlertRule.TEMPERATURE_HIGH));
    n.submit(raised("alert-16", AlertRule.DOOR_OPEN));

    settled(n, "alert-15", 3);
    settled(n, "alert-16", 2);
    List<Notification> all = n.history(TENANT, LOCATION, null, 100);
    assertThat(all).hasSize(5);
    assertThat(all)
        .allSatisfy(
            x -> {
              assertThat(x.status()).isEqualTo("sent");
              assertThat(x.providerId()).isNotBlank();
              assertThat(x.createdAt()).isNotNull();
              assertThat(x.alertJson()).contains("\"alert_id\"");
            });
    assertThat(all)
        .filteredOn(x -> x.channel() == Channel.SMS)
        .extracting(Notification::attempts)
        .containsExactly(2);
    assertThat(n.history("another-tenant", null, null, 100)).isEmpty();
  }

  @Test
  void submit_insideTheCallersTransaction_isRolledBackWithIt() {
    Notifier n = notifier("tx.db", settings());
    Database db = databases.get(0);
    AlertEvent event = raised("alert-17", AlertRule.TEMPERATURE_HIGH);

    try {
      db.jdbi()
          .useTransaction(
              h -> {
                assertThat(n.submit(event, h)).isEqualTo(3);
                throw new IllegalStateException("the hub failed to store its alert state");
              });
    } catch (IllegalStateException expected) {
      // The hub's transaction failed: the notifications it owed are gone with it.
    }
    assertThat(n.history(TENANT, LOCATION, "alert-17", 10)).isEmpty();

    db.jdbi().useTransaction(h -> n.submit(event, h));
    assertThat(n.history(TENANT, LOCATION, "alert-17", 10)).hasSize(3);
  }

  @Test
  void delivery_mailServerDown_retriesThenFails_withoutHoldingUpOtherChannels() {
    NotifySettings settings =
        settings().withRetries(3, Duration.ofMillis(10), Duration.ofMillis(20));
    smtp.stop(); // the mail server's port is now closed
    Notifier n = notifier("a.db", settings);
    n.start();

    n.submit(raised("alert-18", AlertRule.TEMPERATURE_HIGH));

    List<Notification> log = settled(n, "alert-18", 3);
    Notification mail =
        log.stream().filter(x -> x.channel() == Channel.EMAIL).findFirst().orElseThrow();
    assertThat(mail.status()).isEqualTo("failed");
    assertThat(mail.attempts()).isEqualTo(3);
    assertThat(mail.lastError()).contains("mail server");
    assertThat(log)
        .filteredOn(x -> x.channel() != Channel.EMAIL)
        .extracting(Notification::status)
        .containsOnly("sent");
  }
}
