package dev.olympus.edge.payments;

import dev.olympus.core.orders.Money;
import dev.olympus.core.orders.OrderRefusal;
import dev.olympus.core.orders.OrderRuleException;
import dev.olympus.core.orders.OrderStatus;
import dev.olympus.core.sync.UuidV7;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.pos.KeyedWrites;
import dev.olympus.edge.store.LanOps;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payments of orders, taken on the LAN and offline: cash always; cards through the {@link
 * OfflineAuthorizer} (floor and outage limits) into the {@link SettlementQueue}, which the {@link
 * Settler} drains through the processor. The payment record ({@code payments}, append-only,
 * critical priority), the settlement entry and the order's new balance commit in one transaction,
 * so a payment is never half taken.
 */
public final class PaymentService {
  private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

  /** The collection payments are stored in (append-only in the default sync config). */
  public static final String COLLECTION = "payments";

  private static final String ORDERS = "orders";

  private final RecordStore records;
  private final OfflineAuthorizer authorizer;
  private final ConfigCache config;
  private final Clock clock;
  private final Random random;
  private final Runnable cardQueued;

  /**
   * @param cardQueued called after a card payment was committed to the settlement queue (wakes the
   *     settler)
   */
  public PaymentService(
      RecordStore records,
      OfflineAuthorizer authorizer,
      ConfigCache config,
      Clock clock,
      Random random,
      Runnable cardQueued) {
    this.records = records;
    this.authorizer = authorizer;
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.cardQueued = cardQueued;
  }

  /**
   * A payment a terminal sends.
   *
   * @param id the client's payment id (a UUIDv7), or null for one chosen by the edge
   * @param amount what goes against the order's balance, above zero
   * @param tip on top of the amount (a card is charged both), zero when none
   * @param paymentMethod the stored card token ({@code pm_…}) of a card payment
   * @param customer the processor's customer the card is saved to, or null
   */
  public record PaymentInput(
      String id,
      PaymentRequest.Tender tender,
      BigDecimal amount,
      BigDecimal tip,
      String paymentMethod,
      String customer,
      String employeeId) {}

  /** A payment taken (or, for a repeated Idempotency-Key, found) and its order afterwards. */
  public record Taken(LocalRecord payment, LocalRecord order, boolean repeated) {}

  /**
   * Takes a payment of an order.
   *
   * @throws ApiException 404 unknown order, 400 over the balance, 402 a card refused offline
   * @throws OrderRuleException when the order is void or completed
   */
  public Taken take(String orderId, PaymentInput in, String idempotencyKey) {
    String paymentId = in.id() != null ? in.id() : UuidV7.next(clock, random);
    // A refusal (a card over the offline limit, an overpayment) is remembered under the key: the
    // retry gets it again, not a new decision against a limit that may have refilled meanwhile.
    return KeyedWrites.decide(
        records,
        idempotencyKey,
        COLLECTION,
        paymentId,
        () -> take(orderId, paymentId, in, idempotencyKey));
  }

  private Taken take(String orderId, String paymentId, PaymentInput in, String idempotencyKey) {
    String currency =
        config.property().flatMap(p -> p.text("currency")).orElse("usd").toLowerCase();
    Taken taken =
        records.inTransaction(
            tx -> {
              if (idempotencyKey != null) {
                Optional<LanOps.Outcome> seen = tx.seen(idempotencyKey);
                if (seen.isPresent()) {
                  return replay(tx, idempotencyKey, seen.get());
                }
              }
              LocalRecord order =
                  tx.find(ORDERS, orderId)
                      .filter(r -> !r.deleted())
                      .orElseThrow(
                          () ->
                              new ApiException(
                                  404, "not_found", "order " + orderId + " does not exist", "id"));
              OrderStatus status = OrderStatus.parse(String.valueOf(order.data().get("status")));
              if (status.isClosed()) {
                throw new OrderRuleException(
                    new OrderRefusal(
                        "order_closed",
                        "order "
                            + orderId
                            + " is "
                            + status.wireName()
                            + ": it takes no payments"));
              }
              BigDecimal due = amount(order.data(), "balance_due");
              if (in.amount().compareTo(due) > 0) {
                throw new ApiException(
                    400,
                    "overpayment",
                    "amount "
                        + Money.format(in.amount())
                        + " is more than the "
                        + Money.format(due)
                        + " still due on order "
                        + orderId
                        + ": give change for cash, or put the extra in tip",
                    "amount");
              }
              if (tx.find(COLLECTION, paymentId).isPresent()) {
                throw new ApiException(
                    409,
                    "conflict",
                    "payment " + paymentId + " already exists: send a new id",
                    "id");
              }
              BigDecimal charged = in.amount().add(in.tip());
              PaymentRequest request =
                  in.tender() == PaymentRequest.Tender.CASH
                      ? PaymentRequest.cash(paymentId, orderId, Money.toMinorUnits(charged))
                      : PaymentRequest.card(
                          paymentId,
                          orderId,
                          Money.toMinorUnits(charged),
                          currency,
                          in.paymentMethod(),
                          in.customer());
              Authorization auth = authorizer.authorize(tx.handle(), request);
              if (!auth.approved()) {
                throw new ApiException(402, auth.code(), auth.message(), "amount");
              }
              String now = clock.instant().toString();
              Map<String, Object> payment = new LinkedHashMap<>();
              payment.put("order_id", orderId);
              payment.put("order_number", order.data().get("order_number"));
              payment.put("business_date", order.data().get("business_date"));
              payment.put("tender", in.tender() == PaymentRequest.Tender.CASH ? "cash" : "card");
              payment.put("amount", Money.format(in.amount()));
              payment.put("tip", Money.format(in.tip()));
              payment.put("currency", currency);
              if (in.paymentMethod() != null) {
                payment.put("payment_method", in.paymentMethod());
              }
              if (in.employeeId() != null) {
                payment.put("employee_id", in.employeeId());
              }
              payment.put("authorization", auth.code());
              payment.put(
                  "settlement", auth.queuedForSettlement() ? SettlementEntry.PENDING : "none");
              payment.put("created_at", now);
              LocalRecord written = tx.put(COLLECTION, paymentId, payment, idempotencyKey);
              Map<String, Object> o = new LinkedHashMap<>(order.data());
              BigDecimal paid = amount(o, "amount_paid").add(in.amount());
              o.put("amount_paid", Money.format(paid));
              o.put("tip_total", Money.format(amount(o, "tip_total").add(in.tip())));
              o.put("balance_due", Money.format(amount(o, "total").subtract(paid).max(Money.ZERO)));
              o.put("updated_at", now);
              LocalRecord updated = tx.put(ORDERS, orderId, o);
              if (idempotencyKey != null) {
                tx.remember(idempotencyKey, COLLECTION, paymentId, 201);
              }
              return new Taken(written, updated, false);
            });
    if (!taken.repeated() && "card".equals(taken.payment().data().get("tender"))) {
      log.info(
          "payment {} of order {}: card {} queued for settlement",
          paymentId,
          orderId,
          taken.payment().data().get("amount"));
      cardQueued.run();
    }
    return taken;
  }

  private static Taken replay(RecordStore.Tx tx, String key, LanOps.Outcome first) {
    LocalRecord payment = KeyedWrites.firstRecord(tx, key, first, COLLECTION, "new payment");
    LocalRecord order =
        tx.find(ORDERS, String.valueOf(payment.data().get("order_id")))
            .orElseThrow(() -> new IllegalStateException("order of " + first.recordId() + " gone"));
    return new Taken(payment, order, true);
  }

  static BigDecimal amount(Map<String, Object> data, String field) {
    Object v = data.get(field);
    return v == null ? Money.ZERO : Money.parse(field, v.toString());
  }
}
