package dev.olympus.core.orders;

/** A change the order lifecycle refuses; the LAN API answers it with 409 and the refusal. */
public final class OrderRuleException extends RuntimeException {
  private final OrderRefusal refusal;

  public OrderRuleException(OrderRefusal refusal) {
    super(refusal.message());
    this.refusal = refusal;
  }

  public OrderRefusal refusal() {
    return refusal;
  }
}
