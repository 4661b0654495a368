package dev.olympus.notify;

import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.AlertEvent;
import dev.olympus.core.iot.AlertRule;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which channels and recipients an alert event goes to (the wire contract's routing):
 *
 * <ul>
 *   <li>raised, temperature high/low or equipment offline: SMS and e-mail to the on-duty managers,
 *       or to the location's contacts when nobody is on duty;
 *   <li>raised, door open: a staff notice; raised, energy spike: a dashboard alert;
 *   <li>escalated: SMS to the on-duty managers and the contacts (e-mail for those without a phone);
 *   <li>acknowledged and resolved: the staff notice or dashboard alert of the rule is updated;
 *       nobody is texted or mailed again;
 *   <li>every event goes to every webhook.
 * </ul>
 */
final class Routing {
  /** What to send to whom, before it gets its id and is stored. */
  record Planned(
      Channel channel, String recipient, String recipientName, String subject, String body) {}

  private final RecipientDirectory directory;
  private final NotifySettings settings;

  Routing(RecipientDirectory directory, NotifySettings settings) {
    this.directory = directory;
    this.settings = settings;
  }

  /**
   * @param now the wall-clock time: who is on duty for an escalation is decided now, not when the
   *     alert was first raised
   */
  List<Planned> plan(AlertEvent event, Instant now) {
    Alert alert = event.alert();
    List<Planned> out = new ArrayList<>();
    String subject = subject(event);
    String body = body(event);
    switch (event.kind()) {
      case RAISED -> {
        switch (alert.rule()) {
          case TEMPERATURE_HIGH, TEMPERATURE_LOW, EQUIPMENT_OFFLINE -> {
            List<Recipient> people = reachable(managersOnDuty(alert, raisedAt(alert, now)), alert);
            if (people.isEmpty()) {
              people = reachable(directory.contacts(alert.tenantId(), alert.locationId()), alert);
            }
            for (Recipient r : people) {
              person(out, r, Channel.SMS, subject, body);
              person(out, r, Channel.EMAIL, subject, body);
            }
          }
          case DOOR_OPEN -> out.add(new Planned(Channel.STAFF, "staff", null, subject, body));
          case ENERGY_SPIKE ->
              out.add(new Planned(Channel.DASHBOARD, "dashboard", null, subject, body));
        }
      }
      case ESCALATED -> {
        List<Recipient> people = new ArrayList<>(managersOnDuty(alert, now));
        people.addAll(directory.contacts(alert.tenantId(), alert.locationId()));
        for (Recipient r : reachable(people, alert)) {
          if (settings.twilio() != null && r.addressOn(Channel.SMS) != null) {
            person(out, r, Channel.SMS, subject, body);
          } else {
            person(out, r, Channel.EMAIL, subject, body);
          }
        }
      }
      case ACKNOWLEDGED, RESOLVED -> {
        if (alert.rule() == AlertRule.DOOR_OPEN) {
          out.add(new Planned(Channel.STAFF, "staff", null, subject, body));
        } else if (alert.rule() == AlertRule.ENERGY_SPIKE) {
          out.add(new Planned(Channel.DASHBOARD, "dashboard", null, subject, body));
        }
      }
      case RECORDED_LATE -> {
        // A past episode kept for the compliance log: nobody is told.
      }
    }
    if (event.kind() != AlertEvent.Kind.RECORDED_LATE) {
      for (URI hook : settings.webhooks()) {
        out.add(new Planned(Channel.WEBHOOK, hook.toString(), null, subject, body));
      }
    }
    return out;
  }

  private List<Recipient> managersOnDuty(Alert alert, Instant at) {
    return directory.onDutyManagers(alert.tenantId(), alert.locationId(), at);
  }

  /** The event time the alert fired: the shift that covers it is the one to tell. */
  private static Instant raisedAt(Alert alert, Instant now) {
    if (alert.raisedAt() != null) {
      return alert.raisedAt();
    }
    return alert.startedAt() != null ? alert.startedAt() : now;
  }

  /** Those who want this alert and can be reached on a configured channel. */
  private List<Recipient> reachable(List<Recipient> people, Alert alert) {
    List<Recipient> out = new ArrayList<>();
    for (Recipient r : people) {
      boolean sms = settings.twilio() != null && r.addressOn(Channel.SMS) != null;
      boolean mail = settings.smtp() != null && r.addressOn(Channel.EMAIL) != null;
      if (r.wants(alert) && (sms || mail)) {
        out.add(r);
      }
    }
    return out;
  }

  private void person(
      List<Planned> out, Recipient r, Channel channel, String subject, String body) {
    boolean configured =
        channel == Channel.SMS ? settings.twilio() != null : settings.smtp() != null;
    String address = r.addressOn(channel);
    if (configured && address != null) {
      out.add(new Planned(channel, address, r.name(), subject, body));
    }
  }

  static String subject(AlertEvent event) {
    Alert a = event.alert();
    String what =
        switch (event.kind()) {
          case RAISED -> a.severity().wireName().toUpperCase(Locale.ROOT);
          case ESCALATED -> "ESCALATED " + a.severity().wireName().toUpperCase(Locale.ROOT);
          case ACKNOWLEDGED -> "Acknowledged";
          case RESOLVED -> "Resolved";
          case RECORDED_LATE -> "Recorded";
        };
    return "[Olympus] "
        + what
        + " "
        + a.rule().wireName()
        + " on "
        + a.deviceId()
        + " at "
        + a.locationId();
  }

  static String body(AlertEvent event) {
    Alert a = event.alert();
    String message =
        a.message() == null || a.message().isBlank()
            ? a.rule().wireName().replace('_', ' ') + " on " + a.deviceId()
            : a.message();
    return switch (event.kind()) {
      case RAISED ->
          "Olympus " + a.severity().wireName() + " alert at " + a.locationId() + ": " + message;
      case ESCALATED ->
          "Olympus ESCALATED (still unacknowledged, escalation "
              + a.escalations()
              + ") at "
              + a.locationId()
              + ": "
              + message;
      case ACKNOWLEDGED ->
          "Acknowledged"
              + (a.acknowledgedBy() == null ? "" : " by " + a.acknowledgedBy())
              + " at "
              + a.locationId()
              + ": "
              + message;
      case RESOLVED -> "Resolved at " + a.locationId() + ": " + message;
      case RECORDED_LATE -> "Recorded at " + a.locationId() + ": " + message;
    };
  }
}
