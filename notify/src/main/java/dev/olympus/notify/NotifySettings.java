package dev.olympus.notify;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where notifications go and how hard delivery tries. A channel without settings (no Twilio
 * account, no SMTP host, no webhook URL) is skipped: nothing is planned for it.
 *
 * @param twilio the SMS account, or null to skip SMS
 * @param smtp the mail server, or null to skip e-mail
 * @param webhooks URLs that receive every alert event as JSON
 * @param webhookSecret the HMAC-SHA256 key of the {@code X-Olympus-Signature} header, or null
 * @param maxAttempts attempts per notification before it is marked failed
 * @param initialBackoff the wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between attempts
 * @param sendLease how long a claimed notification stays with its deliverer before another (after a
 *     crash) may take it over
 * @param requestTimeout the longest wait for a provider's answer
 * @param pollInterval how often the delivery loop looks for due retries
 */
public record NotifySettings(
    TwilioSettings twilio,
    SmtpSettings smtp,
    List<URI> webhooks,
    String webhookSecret,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration sendLease,
    Duration requestTimeout,
    Duration pollInterval) {

  public NotifySettings {
    webhooks = List.copyOf(webhooks);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(sendLease, "sendLease");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /**
   * A Twilio (or Twilio-compatible) account.
   *
   * @param baseUrl {@code https://api.twilio.com} in production, a local server in tests
   */
  public record TwilioSettings(String accountSid, String authToken, String from, URI baseUrl) {
    public TwilioSettings {
      Objects.requireNonNull(accountSid, "accountSid");
      Objects.requireNonNull(authToken, "authToken");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(baseUrl, "baseUrl");
    }

    @Override
    public String toString() {
      return "TwilioSettings[" + accountSid + " from " + from + " at " + baseUrl + "]";
    }
  }

  /** An SMTP server; username and password null for a server without authentication. */
  public record SmtpSettings(String host, int port, String username, String password, String from) {
    public SmtpSettings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(from, "from");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("SMTP port must be 1-65535, was " + port);
      }
    }

    @Override
    public String toString() {
      return "SmtpSettings[" + host + ":" + port + " from " + from + "]";
    }
  }

  /** No channel configured; production retry pacing. */
  public static NotifySettings none() {
    return new NotifySettings(
        null,
        null,
        List.of(),
        null,
        8,
        Duration.ofSeconds(5),
        Duration.ofMinutes(10),
        Duration.ofMinutes(2),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1));
  }

  /** Settings from the process environment. */
  public static NotifySettings fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * Settings from environment variables: {@code OLYMPUS_TWILIO_ACCOUNT_SID}, {@code
   * OLYMPUS_TWILIO_AUTH_TOKEN}, {@code OLYMPUS_TWILIO_FROM}, {@code OLYMPUS_TWILIO_BASE_URL}
   * (default {@code https://api.twilio.com}); {@code OLYMPUS_SMTP_HOST}, {@code _PORT} (default
   * 25), {@code _USERNAME}, {@code _PASSWORD}, {@code _FROM}; {@code OLYMPUS_NOTIFY_WEBHOOKS}
   * (comma-separated URLs) and {@code OLYMPUS_NOTIFY_WEBHOOK_SECRET}.
   *
   * @throws IllegalArgumentException when a channel is half configured, naming what is missing
   */
  public static NotifySettings fromEnv(Map<String, String> env) {
    TwilioSettings twilio = null;
    String sid = get(env, "OLYMPUS_TWILIO_ACCOUNT_SID");
    String token = get(env, "OLYMPUS_TWILIO_AUTH_TOKEN");
    String from = get(env, "OLYMPUS_TWILIO_FROM");
    if (sid != null || token != null || from != null) {
      require(sid, "OLYMPUS_TWILIO_ACCOUNT_SID", "SMS");
      require(token, "OLYMPUS_TWILIO_AUTH_TOKEN", "SMS");
      require(from, "OLYMPUS_TWILIO_FROM", "SMS");
      String base = get(env, "OLYMPUS_TWILIO_BASE_URL");
      twilio =
          new TwilioSettings(
              sid,
              token,
              from,
              httpUrl(base == null ? "https://api.twilio.com" : base, "OLYMPUS_TWILIO_BASE_URL"));
    }
    SmtpSettings smtp = null;
    String host = get(env, "OLYMPUS_SMTP_HOST");
    if (host != null) {
      String mailFrom = get(env, "OLYMPUS_SMTP_FROM");
      require(mailFrom, "OLYMPUS_SMTP_FROM", "e-mail");
      String port = get(env, "OLYMPUS_SMTP_PORT");
      int p;
      try {
        p = port == null ? 25 : Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "OLYMPUS_SMTP_PORT must be a port number (1-65535), was '" + port + "'");
      }
      smtp =
          new SmtpSettings(
              host,
              p,
              get(env, "OLYMPUS_SMTP_USERNAME"),
              get(env, "OLYMPUS_SMTP_PASSWORD"),
              mailFrom);
    }
    List<URI> webhooks = new ArrayList<>();
    String hooks = get(env, "OLYMPUS_NOTIFY_WEBHOOKS");
    if (hooks != null) {
      for (String url : hooks.split(",")) {
        if (!url.isBlank()) {
          webhooks.add(httpUrl(url.strip(), "OLYMPUS_NOTIFY_WEBHOOKS"));
        }
      }
    }
    NotifySettings d = none();
    return new NotifySettings(
        twilio,
        smtp,
        webhooks,
        get(env, "OLYMPUS_NOTIFY_WEBHOOK_SECRET"),
        d.maxAttempts,
        d.initialBackoff,
        d.maxBackoff,
        d.sendLease,
        d.requestTimeout,
        d.pollInterval);
  }

  public NotifySettings withTwilio(TwilioSettings value) {
    return new NotifySettings(
        value,
        smtp,
        webhooks,
        webhookSecret,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        sendLease,
        requestTimeout,
        pollInterval);
  }

  public NotifySettings withSmtp(SmtpSettings value) {
    return new NotifySettings(
        twilio,
        value,
        webhooks,
        webhookSecret,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        sendLease,
        requestTimeout,
        pollInterval);
  }

  public NotifySettings withWebhooks(List<URI> urls, String secret) {
    return new NotifySettings(
        twilio,
        smtp,
        urls,
        secret,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        sendLease,
        requestTimeout,
        pollInterval);
  }

  /** The retry pacing: attempts, first and longest backoff. */
  public NotifySettings withRetries(int attempts, Duration initial, Duration max) {
    return new NotifySettings(
        twilio,
        smtp,
        webhooks,
        webhookSecret,
        attempts,
        initial,
        max,
        sendLease,
        requestTimeout,
        pollInterval);
  }

  /** The lease, request timeout and poll interval. */
  public NotifySettings withTiming(Duration lease, Duration timeout, Duration poll) {
    return new NotifySettings(
        twilio,
        smtp,
        webhooks,
        webhookSecret,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        lease,
        timeout,
        poll);
  }

  /** The wait before attempt {@code attempts + 1}, after {@code attempts} failed ones. */
  Duration backoffAfter(int attempts) {
    Duration wait = initialBackoff;
    for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  @Override
  public String toString() {
    return "NotifySettings[twilio="
        + twilio
        + ", smtp="
        + smtp
        + ", webhooks="
        + webhooks
        + ", maxAttempts="
        + maxAttempts
        + "]";
  }

  private static String get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static void require(String value, String name, String channel) {
    if (value == null) {
      throw new IllegalArgumentException(
          name
              + " is not set: "
              + channel
              + " notifications need it (or unset the channel's other"
              + " variables to turn "
              + channel
              + " off)");
    }
  }

  private static URI httpUrl(String text, String variable) {
    try {
      URI uri = URI.create(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        variable + " must hold http(s) URLs like https://example.com/hook, was '" + text + "'");
  }
}
