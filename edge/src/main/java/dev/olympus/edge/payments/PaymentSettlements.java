package dev.olympus.edge.payments;

import dev.olympus.core.orders.Money;
import dev.olympus.core.orders.OrderRefusal;
import dev.olympus.core.orders.OrderRuleException;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the processor's answer to a queued card payment, in the transaction that takes it out of
 * the queue. Payments are append-only, so the answer is a record of its own ({@code
 * payment_settlements}, id = the payment's id) rather than an edit of the payment. A declined or
 * rejected card no longer pays its order: the order's {@code amount_paid} drops back and its {@code
 * balance_due} shows what is still owed, so the manager sees it on the edge and in the cloud.
 */
public final class PaymentSettlements implements SettlementListener {
  private static final Logger log = LoggerFactory.getLogger(PaymentSettlements.class);

  /** The collection settlement answers are stored in. */
  public static final String COLLECTION = "payment_settlements";

  private final RecordStore records;
  private final Clock clock;

  public PaymentSettlements(RecordStore records, Clock clock) {
    this.records = records;
    this.clock = clock;
  }

  @Override
  public void onAnswered(Handle h, SettlementEntry entry, ChargeResult result) {
    RecordStore.Tx tx = records.join(h);
    String status =
        switch (result.outcome()) {
          case APPROVED -> SettlementEntry.SETTLED;
          case DECLINED -> SettlementEntry.DECLINED;
          case REJECTED -> SettlementEntry.FAILED;
        };
    String now = clock.instant().toString();
    Map<String, Object> answer = answer(entry, status);
    putIfNotNull(answer, "processor_ref", result.processorRef());
    putIfNotNull(answer, "processor_status", result.status());
    putIfNotNull(
        answer,
        "decline_code",
        result.declineCode() != null ? result.declineCode() : result.code());
    putIfNotNull(answer, "message", result.message());
    answer.put("answered_at", now);
    tx.put(COLLECTION, entry.paymentId(), answer);
    if (result.approved()) {
      return;
    }
    Optional<LocalRecord> payment = tx.find(PaymentService.COLLECTION, entry.paymentId());
    Optional<LocalRecord> order = tx.find("orders", entry.orderId()).filter(r -> !r.deleted());
    if (payment.isEmpty() || order.isEmpty()) {
      return;
    }
    BigDecimal amount = PaymentService.amount(payment.get().data(), "amount");
    BigDecimal tip = PaymentService.amount(payment.get().data(), "tip");
    Map<String, Object> o = new LinkedHashMap<>(order.get().data());
    BigDecimal paid = PaymentService.amount(o, "amount_paid").subtract(amount).max(Money.ZERO);
    o.put("amount_paid", Money.format(paid));
    o.put(
        "tip_total",
        Money.format(PaymentService.amount(o, "tip_total").subtract(tip).max(Money.ZERO)));
    o.put(
        "balance_due",
        Money.format(PaymentService.amount(o, "total").subtract(paid).max(Money.ZERO)));
    o.put("updated_at", now);
    tx.put("orders", entry.orderId(), o);
    log.warn(
        "order {}: card payment {} of {} was {} after the guest left; {} is due again",
        entry.orderId(),
        entry.paymentId(),
        Money.format(amount),
        status,
        o.get("balance_due"));
  }

  /**
   * Before an order is voided, in its transaction: its card payments not charged yet are canceled
   * (and never will be), and a void is refused while one has been charged, since the edge cannot
   * refund it.
   *
   * @throws OrderRuleException {@code card_payment_charged} naming the charged payments
   */
  public static void onOrderVoided(RecordStore.Tx tx, String orderId, Clock clock) {
    List<SettlementEntry> cards = SettlementQueue.forOrder(tx.handle(), orderId);
    List<String> charged =
        cards.stream()
            .filter(e -> SettlementEntry.SETTLED.equals(e.status()))
            .map(e -> e.paymentId() + " (" + amount(e) + " " + e.currency() + ")")
            .toList();
    if (!charged.isEmpty()) {
      throw new OrderRuleException(
          new OrderRefusal(
              "card_payment_charged",
              "order "
                  + orderId
                  + " has card payments the processor already charged: "
                  + String.join(", ", charged)
                  + ". Refund them at the card processor first; the edge does not refund yet"));
    }
    String why = "order voided before the card was charged";
    for (SettlementEntry e : cards) {
      if (SettlementQueue.cancel(tx.handle(), e.paymentId(), why, clock.millis())) {
        Map<String, Object> answer = answer(e, SettlementEntry.CANCELED);
        answer.put("message", why);
        answer.put("answered_at", clock.instant().toString());
        tx.put(COLLECTION, e.paymentId(), answer);
        log.info(
            "order {} voided: card payment {} canceled before it was charged",
            orderId,
            e.paymentId());
      }
    }
  }

  /** A {@code payment_settlements} record's fields that every answer has. */
  private static Map<String, Object> answer(SettlementEntry entry, String status) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("payment_id", entry.paymentId());
    answer.put("order_id", entry.orderId());
    answer.put("status", status);
    answer.put("amount", amount(entry));
    answer.put("currency", entry.currency());
    return answer;
  }

  private static String amount(SettlementEntry entry) {
    return Money.format(BigDecimal.valueOf(entry.amountMinor(), 2));
  }

  private static void putIfNotNull(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
