package dev.olympus.notify;

import java.util.Locale;

/** How a notification reaches someone. The wire name (in the log and the API) is lower case. */
public enum Channel {
  /** A text message through a Twilio-compatible REST API. */
  SMS,
  /** An e-mail over SMTP. */
  EMAIL,
  /** A JSON POST of the alert to a configured URL. */
  WEBHOOK,
  /** An in-process broadcast to the staff's screens (the edge puts it on its LAN WebSocket). */
  STAFF,
  /** An entry on the dashboards' alert list. */
  DASHBOARD;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The channel of a wire name.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Channel fromWire(String s) {
    for (Channel c : values()) {
      if (c.wireName().equals(s)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown channel '" + s + "': expected one of sms, email, webhook, staff, dashboard");
  }
}
