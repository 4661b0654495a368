package dev.olympus.edge.payments;

/**
 * The edge's answer to a payment while the processor is out of reach.
 *
 * @param code {@code cash}, {@code offline_approved}, {@code already_queued} when approved; {@code
 *     no_stored_card}, {@code over_floor_limit}, {@code over_outage_limit}, {@code
 *     payment_id_reused} when refused
 * @param message a sentence for the person at the terminal
 * @param queuedForSettlement the payment waits in the settlement queue
 */
public record Authorization(
    boolean approved, String code, String message, boolean queuedForSettlement) {
  static Authorization approve(String code, String message, boolean queued) {
    return new Authorization(true, code, message, queued);
  }

  static Authorization refuse(String code, String message) {
    return new Authorization(false, code, message, false);
  }
}
