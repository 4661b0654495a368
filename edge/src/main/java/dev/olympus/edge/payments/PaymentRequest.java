package dev.olympus.edge.payments;

import java.util.Objects;

/**
 * A payment a terminal asks the edge to accept.
 *
 * @param currency an ISO 4217 code such as {@code usd}; required for a card payment
 * @param paymentMethod the stored card token for a card payment; null for cash
 * @param customer the processor's customer the card is saved to, or null
 */
public record PaymentRequest(
    String paymentId,
    String orderId,
    Tender tender,
    long amountMinor,
    String currency,
    String paymentMethod,
    String customer) {
  /** How the guest pays. */
  public enum Tender {
    CASH,
    CARD
  }

  public PaymentRequest {
    Objects.requireNonNull(paymentId, "paymentId");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(tender, "tender");
    if (amountMinor <= 0) {
      throw new IllegalArgumentException(
          "payment " + paymentId + ": amount must be above zero, was " + amountMinor);
    }
    if (tender == Tender.CARD && (currency == null || !currency.matches("[a-zA-Z]{3}"))) {
      throw new IllegalArgumentException(
          "payment "
              + paymentId
              + ": a card payment needs an ISO 4217 currency such as usd, was "
              + currency);
    }
  }

  public static PaymentRequest cash(String paymentId, String orderId, long amountMinor) {
    return new PaymentRequest(paymentId, orderId, Tender.CASH, amountMinor, null, null, null);
  }

  public static PaymentRequest card(
      String paymentId, String orderId, long amountMinor, String currency, String paymentMethod) {
    return card(paymentId, orderId, amountMinor, currency, paymentMethod, null);
  }

  public static PaymentRequest card(
      String paymentId,
      String orderId,
      long amountMinor,
      String currency,
      String paymentMethod,
      String customer) {
    return new PaymentRequest(
        paymentId, orderId, Tender.CARD, amountMinor, currency, paymentMethod, customer);
  }
}
