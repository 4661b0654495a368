package dev.olympus.notify;

import dev.olympus.core.iot.Alert;
import java.util.Objects;
import java.util.Set;

/**
 * A person who may be told about an alert: an on-duty manager or one of the location's contacts.
 *
 * @param name how the log names them
 * @param phone an E.164 phone number for SMS, or null
 * @param email an e-mail address, or null
 * @param channels the channels they accept; empty for every channel they have an address for
 * @param receives the rules ({@code temperature_high}) or severities ({@code critical}) they want;
 *     empty for every alert
 */
public record Recipient(
    String name, String phone, String email, Set<Channel> channels, Set<String> receives) {
  public Recipient {
    Objects.requireNonNull(name, "name");
    phone = blankToNull(phone);
    email = blankToNull(email);
    channels = Set.copyOf(channels);
    receives = Set.copyOf(receives);
  }

  /** A recipient who takes every alert on every channel they have an address for. */
  public static Recipient of(String name, String phone, String email) {
    return new Recipient(name, phone, email, Set.of(), Set.of());
  }

  /** Whether they want to hear about this alert at all. */
  public boolean wants(Alert alert) {
    return receives.isEmpty()
        || receives.contains(alert.rule().wireName())
        || receives.contains(alert.severity().wireName());
  }

  /** Their address on {@code channel} if they have one and accept it there, else null. */
  String addressOn(Channel channel) {
    if (!channels.isEmpty() && !channels.contains(channel)) {
      return null;
    }
    return switch (channel) {
      case SMS -> phone;
      case EMAIL -> email;
      default -> null;
    };
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
