package dev.olympus.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhooks: a JSON POST of {@code {"event", "notification_id", "alert"}} with the headers {@code
 * X-Olympus-Event}, {@code X-Olympus-Delivery} (the notification id: the same on a retry, so
 * receivers can drop copies) and, with a secret, {@code X-Olympus-Signature: sha256=<hex HMAC of
 * the body>}.
 */
final class Webhooks implements Sender {
  static final String SIGNATURE_HEADER = "X-Olympus-Signature";

  private final HttpClient http;
  private final Duration timeout;
  private final String secret;

  Webhooks(HttpClient http, Duration timeout, String secret) {
    this.http = http;
    this.timeout = timeout;
    this.secret = secret;
  }

  /** The header value a receiver recomputes from the raw body to check it came from us. */
  static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  @Override
  public Delivery send(Notification n) {
    byte[] body;
    try {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("event", n.eventKind());
      payload.put("notification_id", n.id());
      payload.put("alert", AlertJson.MAPPER.readTree(n.alertJson()));
      body = AlertJson.write(payload).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Delivery.Failed("stored alert JSON is unreadable: " + e.getMessage());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(n.recipient()))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("X-Olympus-Event", n.eventKind())
            .header("X-Olympus-Delivery", n.id())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (secret != null) {
      request.header(SIGNATURE_HEADER, signature(secret, body));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Delivery.Retry("webhook unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Delivery.Retry("interrupted");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Delivery.Sent("http " + status);
    }
    String error = "webhook answered " + status + ": " + TwilioSms.abbreviate(response.body());
    return status == 408 || status == 429 || status >= 500
        ? new Delivery.Retry(error)
        : new Delivery.Failed(error);
  }
}
