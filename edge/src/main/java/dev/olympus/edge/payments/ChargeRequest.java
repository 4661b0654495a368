package dev.olympus.edge.payments;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A charge of a stored card.
 *
 * @param paymentId the payment record's id (a UUIDv7), which the idempotency key derives from
 * @param amountMinor the amount in minor units (cents), above zero
 * @param currency an ISO 4217 code such as {@code usd}
 * @param paymentMethod the stored card token (a Stripe {@code pm_…} id); the card number never
 *     reaches the edge
 * @param customer the processor's customer the token is saved to ({@code cus_…}), or null; Stripe
 *     refuses a saved card without its customer
 * @param idempotencyKey stable across every retry of this payment ({@link #idempotencyKeyFor})
 */
public record ChargeRequest(
    String paymentId,
    String orderId,
    long amountMinor,
    String currency,
    String paymentMethod,
    String customer,
    CaptureMethod captureMethod,
    String idempotencyKey) {
  private static final Pattern CURRENCY = Pattern.compile("[a-zA-Z]{3}");

  /** When the money is taken: at once, or later by a capture (tips added after the swipe). */
  public enum CaptureMethod {
    AUTOMATIC("automatic"),
    MANUAL("manual");

    private final String wireName;

    CaptureMethod(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public ChargeRequest {
    Objects.requireNonNull(paymentId, "paymentId");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(paymentMethod, "paymentMethod");
    Objects.requireNonNull(captureMethod, "captureMethod");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (amountMinor <= 0) {
      throw new IllegalArgumentException(
          "payment " + paymentId + ": amount must be above zero, was " + amountMinor);
    }
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException(
          "payment "
              + paymentId
              + ": currency must be an ISO 4217 code such as usd, was "
              + currency);
    }
  }

  /** A charge captured at once, keyed by the payment id. */
  public static ChargeRequest of(
      String paymentId, String orderId, long amountMinor, String currency, String paymentMethod) {
    return of(paymentId, orderId, amountMinor, currency, paymentMethod, null);
  }

  /** A charge of a card saved to a customer, captured at once, keyed by the payment id. */
  public static ChargeRequest of(
      String paymentId,
      String orderId,
      long amountMinor,
      String currency,
      String paymentMethod,
      String customer) {
    return new ChargeRequest(
        paymentId,
        orderId,
        amountMinor,
        currency,
        paymentMethod,
        customer,
        CaptureMethod.AUTOMATIC,
        idempotencyKeyFor(paymentId));
  }

  /**
   * The idempotency key of a payment: derived from its id, never random, so a retry after a crash
   * or a restart is recognized by the processor as the same charge.
   */
  public static String idempotencyKeyFor(String paymentId) {
    return "olympus-payment-" + paymentId;
  }
}
