package dev.olympus.edge.payments;

/**
 * A card processor the edge charges stored cards through. One implementation per real processor
 * ({@link StripeProcessor}); the contract every one keeps: a request repeated with the same {@link
 * ChargeRequest#idempotencyKey()} is charged at most once and answered with the first result.
 */
public interface CardProcessor {
  /**
   * Charges (or authorizes, for a manual capture) a stored card.
   *
   * @return the processor's final word: approved, declined or rejected
   * @throws ProcessorUnavailableException when the answer is unknown or the processor asks to come
   *     back later (network error, timeout, 429, 5xx): retry with the same idempotency key
   */
  ChargeResult charge(ChargeRequest request) throws ProcessorUnavailableException;
}
