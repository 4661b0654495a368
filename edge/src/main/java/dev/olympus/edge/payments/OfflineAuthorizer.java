package dev.olympus.edge.payments;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts payments while the card processor is out of reach. Cash always works. A card payment
 * needs a stored card token and is accepted up to the floor limit per payment and the outage limit
 * over all payments not yet settled ({@link OfflineCardPolicy}); an accepted card payment is queued
 * for settlement in the same transaction that checks the limits, so two terminals paying at once
 * cannot both slip under the outage limit.
 */
public final class OfflineAuthorizer {
  private static final Logger log = LoggerFactory.getLogger(OfflineAuthorizer.class);

  private final Jdbi jdbi;
  private final OfflineCardPolicy policy;
  private final Clock clock;

  public OfflineAuthorizer(Jdbi jdbi, OfflineCardPolicy policy, Clock clock) {
    this.jdbi = jdbi;
    this.policy = policy;
    this.clock = clock;
  }

  /** Decides and, for an accepted card payment, queues it: in one transaction of its own. */
  public Authorization authorize(PaymentRequest payment) {
    return jdbi.inTransaction(h -> authorize(h, payment));
  }

  /**
   * Decides inside the caller's transaction (the one writing the payment record), so the payment
   * and its settlement entry commit together. A repeated payment id is answered as before.
   */
  public Authorization authorize(Handle h, PaymentRequest payment) {
    if (payment.tender() == PaymentRequest.Tender.CASH) {
      return Authorization.approve("cash", "cash accepted", false);
    }
    if (payment.paymentMethod() == null || payment.paymentMethod().isBlank()) {
      return refused(
          payment,
          "no_stored_card",
          "the card cannot be taken offline without a stored card token: take cash or wait for"
              + " the connection");
    }
    Optional<SettlementEntry> earlier = SettlementQueue.find(h, payment.paymentId());
    if (earlier.isPresent()) {
      SettlementEntry e = earlier.get();
      if (e.amountMinor() != payment.amountMinor()
          || !e.paymentMethod().equals(payment.paymentMethod())) {
        return refused(
            payment,
            "payment_id_reused",
            "payment "
                + payment.paymentId()
                + " was already taken for "
                + money(e.amountMinor())
                + " with another card or amount: use a new payment id");
      }
      return Authorization.approve("already_queued", "card payment already accepted", true);
    }
    if (payment.amountMinor() > policy.floorLimitMinor()) {
      return refused(
          payment,
          "over_floor_limit",
          "card payments above "
              + money(policy.floorLimitMinor())
              + " need the processor, which is unreachable: take "
              + money(payment.amountMinor())
              + " in cash or split it");
    }
    long exposure = SettlementQueue.pendingTotal(h);
    if (exposure + payment.amountMinor() > policy.outageLimitMinor()) {
      return refused(
          payment,
          "over_outage_limit",
          "the offline card limit of "
              + money(policy.outageLimitMinor())
              + " is reached ("
              + money(exposure)
              + " waits for settlement): take cash until the connection is back");
    }
    SettlementQueue.enqueue(
        h,
        ChargeRequest.of(
            payment.paymentId(),
            payment.orderId(),
            payment.amountMinor(),
            payment.currency(),
            payment.paymentMethod(),
            payment.customer()),
        clock.millis());
    log.info(
        "payment {} of order {}: card {} accepted offline, queued for settlement ({} unsettled)",
        payment.paymentId(),
        payment.orderId(),
        money(payment.amountMinor()),
        money(exposure + payment.amountMinor()));
    return Authorization.approve("offline_approved", "card accepted offline", true);
  }

  private static Authorization refused(PaymentRequest payment, String code, String message) {
    log.info(
        "payment {} of order {} refused offline: {}", payment.paymentId(), payment.orderId(), code);
    return Authorization.refuse(code, message);
  }

  private static String money(long minor) {
    return BigDecimal.valueOf(minor, 2).toPlainString();
  }
}
