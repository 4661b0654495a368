package dev.olympus.edge.payments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.store.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges stored cards through Stripe's PaymentIntents API: {@code POST /v1/payment_intents},
 * form-encoded, confirmed in the same call, with the payment's idempotency key in the {@code
 * Idempotency-Key} header (Stripe answers a repeated key with the first answer, for 24 hours).
 *
 * <p>The secret key never comes from config sync (payment credentials stay in the cloud): it is
 * provisioned to the edge apart, ideally as a restricted key allowed to create PaymentIntents only.
 */
public final class StripeProcessor implements CardProcessor {
  /** Stripe's API. */
  public static final URI STRIPE_API = URI.create("https://api.stripe.com");

  private static final Logger log = LoggerFactory.getLogger(StripeProcessor.class);

  private final URI endpoint;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param baseUrl {@link #STRIPE_API}, or a test server
   * @param secretKey an {@code sk_…} or {@code rk_…} key
   * @param timeout how long one request may take; past it the charge is retried with the same key
   */
  public StripeProcessor(URI baseUrl, String secretKey, Duration timeout) {
    Objects.requireNonNull(secretKey, "secretKey");
    if (!(secretKey.startsWith("sk_") || secretKey.startsWith("rk_"))) {
      throw new IllegalArgumentException(
          "a Stripe secret key starts with sk_ or rk_ (a pk_ publishable key cannot charge)");
    }
    String base = baseUrl.toString();
    this.endpoint =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/v1/payment_intents");
    this.authorization = "Bearer " + secretKey;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  @Override
  public ChargeResult charge(ChargeRequest r) throws ProcessorUnavailableException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Idempotency-Key", r.idempotencyKey())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(formBody(r)))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ProcessorUnavailableException(
          "Stripe - no answer for payment " + r.paymentId() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProcessorUnavailableException(
          "Stripe - interrupted while charging payment " + r.paymentId(), e);
    }
    boolean replayed =
        response.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
    return interpret(r, response.statusCode(), response.body(), replayed);
  }

  /** The form body, in Stripe's bracket notation for nested fields ({@code metadata[order_id]}). */
  static String formBody(ChargeRequest r) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("amount", Long.toString(r.amountMinor()));
    form.put("currency", r.currency().toLowerCase(Locale.ROOT));
    form.put("payment_method", r.paymentMethod());
    if (r.customer() != null) {
      form.put("customer", r.customer());
    }
    // Cards only: with automatic payment methods, confirming without a return_url is refused.
    form.put("payment_method_types[]", "card");
    form.put("confirm", "true");
    // The guest is gone by the time an offline payment settles: no 3-D Secure challenge.
    form.put("off_session", "true");
    form.put("capture_method", r.captureMethod().wireName());
    form.put("metadata[order_id]", r.orderId());
    form.put("metadata[payment_id]", r.paymentId());
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, String> e : form.entrySet()) {
      if (!body.isEmpty()) {
        body.append('&');
      }
      // Stripe's own libraries keep the brackets readable; both forms are accepted.
      body.append(encode(e.getKey()).replace("%5B", "[").replace("%5D", "]"))
          .append('=')
          .append(encode(e.getValue()));
    }
    return body.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static ChargeResult interpret(ChargeRequest r, int status, String body, boolean replayed)
      throws ProcessorUnavailableException {
    if (status == 429 || status >= 500 || status == 401 || status == 403) {
      // 401/403: the key is wrong or lacks rights. Nothing was charged; keep the payment queued
      // until someone fixes the key rather than losing it.
      throw new ProcessorUnavailableException(
          "Stripe - HTTP "
              + status
              + " for payment "
              + r.paymentId()
              + ": "
              + errorMessage(body)
              + (status == 401 ? " (check the Stripe secret key provisioned to this edge)" : ""));
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ProcessorUnavailableException(
          "Stripe - unreadable answer (HTTP " + status + ") for payment " + r.paymentId(), e);
    }
    if (status >= 200 && status < 300) {
      String piStatus = json.path("status").asText("");
      String id = json.path("id").asText(null);
      ChargeResult.Outcome outcome =
          switch (piStatus) {
            case "succeeded", "requires_capture", "processing" -> ChargeResult.Outcome.APPROVED;
            default -> ChargeResult.Outcome.DECLINED;
          };
      String message =
          outcome == ChargeResult.Outcome.APPROVED
              ? null
              : "the payment needs " + piStatus + ", which a stored card cannot give offline";
      log.info(
          "Stripe - payment {} {}: {} ({}){}",
          r.paymentId(),
          outcome == ChargeResult.Outcome.APPROVED ? "approved" : "not approved",
          id,
          piStatus,
          replayed ? ", replayed by idempotency key" : "");
      return new ChargeResult(outcome, id, piStatus, null, null, message, status, replayed);
    }
    JsonNode error = json.path("error");
    String type = error.path("type").asText(null);
    String code = error.path("code").asText(null);
    String declineCode = error.path("decline_code").asText(null);
    String message = error.path("message").asText("HTTP " + status);
    String ref = error.path("payment_intent").path("id").asText(null);
    ChargeResult.Outcome outcome =
        status == 402 || "card_error".equals(type)
            ? ChargeResult.Outcome.DECLINED
            : ChargeResult.Outcome.REJECTED;
    log.info(
        "Stripe - payment {} {}: {} {} ({})",
        r.paymentId(),
        outcome == ChargeResult.Outcome.DECLINED ? "declined" : "rejected",
        type,
        code,
        message);
    return new ChargeResult(outcome, ref, type, code, declineCode, message, status, replayed);
  }

  private static String errorMessage(String body) {
    try {
      return Json.MAPPER.readTree(body).path("error").path("message").asText(body);
    } catch (IOException | RuntimeException e) {
      return body == null ? "" : body;
    }
  }
}
