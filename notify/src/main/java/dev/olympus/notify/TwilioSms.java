package dev.olympus.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.notify.NotifySettings.TwilioSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * SMS through Twilio's REST API ({@code POST {base}/2010-04-01/Accounts/{sid}/Messages.json},
 * form-encoded {@code To}, {@code From}, {@code Body}, basic auth sid:token).
 *
 * <p>Twilio has no idempotency key for messages, so every body ends with a reference derived from
 * the notification id. Before any attempt after the first (a crash or timeout may have left the
 * first one delivered), the account's recent messages to that number are listed and a message
 * carrying the reference counts as sent. Residual risk: a message Twilio accepted but does not list
 * yet, or one pushed out of the first page by 50 newer messages to the same number, is sent twice
 * (docs/decisions/018-notifications-exactly-once.md).
 */
final class TwilioSms implements Sender {
  private static final int LOOKUP_PAGE = 50;

  private final TwilioSettings settings;
  private final HttpClient http;
  private final Duration timeout;
  private final String auth;

  TwilioSms(TwilioSettings settings, HttpClient http, Duration timeout) {
    this.settings = settings;
    this.http = http;
    this.timeout = timeout;
    this.auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (settings.accountSid() + ":" + settings.authToken())
                        .getBytes(StandardCharsets.UTF_8));
  }

  /** The text as sent: the body and the reference a restart looks for. */
  static String text(Notification n) {
    return n.body() + " (ref " + n.reference() + ")";
  }

  @Override
  public Delivery send(Notification n) {
    if (n.attempts() > 0) {
      try {
        Optional<String> earlier = findSent(n);
        if (earlier.isPresent()) {
          return new Delivery.Sent(earlier.get());
        }
      } catch (IOException e) {
        // Never send blindly while an earlier attempt may have gone through.
        return new Delivery.Retry("SMS look-up before resending failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Delivery.Retry("interrupted");
      }
    }
    String form =
        "To="
            + encode(n.recipient())
            + "&From="
            + encode(settings.from())
            + "&Body="
            + encode(text(n));
    HttpRequest request =
        HttpRequest.newBuilder(messagesUri(""))
            .timeout(timeout)
            .header("Authorization", auth)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Delivery.Retry("SMS provider unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Delivery.Retry("interrupted");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      String sid = field(response.body(), "sid");
      return new Delivery.Sent(sid == null ? "http " + status : sid);
    }
    String error = "SMS provider answered " + status + ": " + abbreviate(response.body());
    return status == 429 || status >= 500 ? new Delivery.Retry(error) : new Delivery.Failed(error);
  }

  /** Twilio's list of messages to the recipient, newest first, searched for the reference. */
  private Optional<String> findSent(Notification n) throws IOException, InterruptedException {
    String query =
        "?To="
            + encode(n.recipient())
            + "&From="
            + encode(settings.from())
            + "&PageSize="
            + LOOKUP_PAGE;
    HttpRequest request =
        HttpRequest.newBuilder(messagesUri(query))
            .timeout(timeout)
            .header("Authorization", auth)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("message list answered " + response.statusCode());
    }
    JsonNode messages = AlertJson.MAPPER.readTree(response.body()).path("messages");
    String ref = "(ref " + n.reference() + ")";
    for (JsonNode m : messages) {
      if (m.path("body").asText("").contains(ref)) {
        return Optional.of(m.path("sid").asText("listed"));
      }
    }
    return Optional.empty();
  }

  private URI messagesUri(String query) {
    String base = settings.baseUrl().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(
        base + "/2010-04-01/Accounts/" + encode(settings.accountSid()) + "/Messages.json" + query);
  }

  private static String field(String json, String name) {
    try {
      JsonNode node = AlertJson.MAPPER.readTree(json).get(name);
      return node == null || node.isNull() ? null : node.asText();
    } catch (IOException e) {
      return null;
    }
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
