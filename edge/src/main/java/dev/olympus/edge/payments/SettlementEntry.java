package dev.olympus.edge.payments;

/**
 * A card payment in the settlement queue ({@code card_settlements}).
 *
 * @param status {@code pending}, {@code settled}, {@code declined} or {@code failed}
 */
public record SettlementEntry(
    long seq,
    String paymentId,
    String orderId,
    long amountMinor,
    String currency,
    String paymentMethod,
    String customer,
    String idempotencyKey,
    String status,
    long createdAt,
    int attempts,
    long nextAttemptAt,
    String lastError,
    String processorRef,
    String processorStatus,
    String declineCode,
    String message) {
  public static final String PENDING = "pending";
  public static final String SETTLED = "settled";
  public static final String DECLINED = "declined";
  public static final String FAILED = "failed";

  /** The order was voided before the card was charged: it never will be. */
  public static final String CANCELED = "canceled";

  /** The charge this entry asks the processor for; the same on every retry. */
  public ChargeRequest toChargeRequest() {
    return new ChargeRequest(
        paymentId,
        orderId,
        amountMinor,
        currency,
        paymentMethod,
        customer,
        ChargeRequest.CaptureMethod.AUTOMATIC,
        idempotencyKey);
  }
}
