package dev.olympus.core.orders;

import java.util.Optional;

/**
 * The order status state machine: {@code pending → confirmed → preparing → ready → completed}, and
 * {@code void}.
 *
 * <ul>
 *   <li>Status only moves forward. Skipping ahead is allowed (a counter order is often paid and
 *       handed over at once, {@code pending → completed}); moving back is refused, as the sync's
 *       order resolver would undo it anyway.
 *   <li>Any open order (not completed, not void) may be voided.
 *   <li>A completed order may be voided only by someone holding {@link #VOID_COMPLETED_PRIVILEGE}
 *       (a manager): its money has usually been taken, so voiding it is a refund decision.
 *   <li>A void order is final.
 *   <li>Items may be added or removed while the order is open, not once it is completed or void.
 * </ul>
 */
public final class OrderLifecycle {
  /** The privilege (config type {@code privileges}, by name) needed to void a completed order. */
  public static final String VOID_COMPLETED_PRIVILEGE = "void_completed_order";

  private OrderLifecycle() {}

  /**
   * Why {@code from → to} is refused, or empty when it is allowed.
   *
   * @param mayVoidCompleted the acting employee holds {@link #VOID_COMPLETED_PRIVILEGE}
   */
  public static Optional<OrderRefusal> checkTransition(
      OrderStatus from, OrderStatus to, boolean mayVoidCompleted) {
    if (from == to) {
      return refuse("already_in_status", "the order is already " + to.wireName());
    }
    if (from == OrderStatus.VOID) {
      return refuse(
          "illegal_transition",
          "the order is void and cannot become " + to.wireName() + ": start a new order");
    }
    if (to == OrderStatus.VOID) {
      if (from == OrderStatus.COMPLETED && !mayVoidCompleted) {
        return refuse(
            "privilege_required",
            "voiding a completed order needs the "
                + VOID_COMPLETED_PRIVILEGE
                + " privilege: ask a manager");
      }
      return Optional.empty();
    }
    if (to.ordinal() < from.ordinal()) {
      return refuse(
          "illegal_transition",
          "an order's status only moves forward: "
              + from.wireName()
              + " cannot go back to "
              + to.wireName());
    }
    if (from == OrderStatus.COMPLETED) {
      return refuse(
          "illegal_transition", "the order is completed and cannot become " + to.wireName());
    }
    return Optional.empty();
  }

  /**
   * The new status, after checking the move.
   *
   * @throws OrderRuleException with the refusal when the move is not allowed
   */
  public static OrderStatus transition(OrderStatus from, OrderStatus to, boolean mayVoidCompleted) {
    checkTransition(from, to, mayVoidCompleted)
        .ifPresent(
            r -> {
              throw new OrderRuleException(r);
            });
    return to;
  }

  /** Why the items of an order in {@code status} cannot change, or empty when they can. */
  public static Optional<OrderRefusal> checkItemsEditable(OrderStatus status) {
    if (status.isClosed()) {
      return refuse(
          "order_closed",
          "the order is "
              + status.wireName()
              + ": items can no longer be added or removed (start a new order)");
    }
    return Optional.empty();
  }

  /**
   * @throws OrderRuleException when the items of an order in {@code status} cannot change
   */
  public static void requireItemsEditable(OrderStatus status) {
    checkItemsEditable(status)
        .ifPresent(
            r -> {
              throw new OrderRuleException(r);
            });
  }

  private static Optional<OrderRefusal> refuse(String code, String message) {
    return Optional.of(new OrderRefusal(code, message));
  }
}
