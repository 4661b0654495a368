package dev.olympus.edge.payments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.orders.Money;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.pos.Fields;
import dev.olympus.edge.pos.LanApi;
import dev.olympus.edge.pos.LanRoutes;
import dev.olympus.edge.pos.RequestBody;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code POST /api/v1/orders/{id}/payments}: cash, or a stored card accepted offline. */
public final class PaymentRoutes implements LanRoutes {
  private final PaymentService payments;

  public PaymentRoutes(PaymentService payments) {
    this.payments = payments;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/orders/{id}/payments", this::take);
  }

  private void take(Context ctx) {
    String orderId = Fields.requireId(ctx.pathParam("id"), "id");
    String key = RequestBody.idempotencyKey(ctx);
    JsonNode body =
        RequestBody.object(
            ctx,
            "{\"tender\": \"cash\"|\"card\", \"amount\": \"12.50\", \"payment_method\": \"pm_…\","
                + " \"tip\": \"2.00\"}",
            8_192,
            "send only the payment's fields");
    String tender = Fields.oneOf(body, "tender", Set.of("cash", "card"));
    String paymentMethod =
        Fields.optionalText(
                body, "payment_method", "payment_method", 255, "the stored card token, pm_…")
            .orElse(null);
    if ("card".equals(tender) && paymentMethod == null) {
      throw new ApiException(
          400,
          "missing_field",
          "payment_method is required for a card payment: the stored card token (pm_…); the card"
              + " number never reaches the edge",
          "payment_method");
    }
    if ("cash".equals(tender) && paymentMethod != null) {
      throw new ApiException(
          400, "invalid_field", "payment_method is for card payments only", "payment_method");
    }
    PaymentService.PaymentInput input =
        new PaymentService.PaymentInput(
            Fields.optionalId(body, "id", "id", "the payment's id, a UUIDv7").orElse(null),
            "cash".equals(tender) ? PaymentRequest.Tender.CASH : PaymentRequest.Tender.CARD,
            Fields.positiveAmount(body, "amount"),
            Fields.optionalAmount(body, "tip").orElse(Money.ZERO),
            paymentMethod,
            Fields.optionalText(body, "customer", "customer", 255, "the processor's customer id")
                .orElse(null),
            Fields.optionalId(body, "employee_id", "employee_id", "who takes the payment")
                .orElse(null));
    PaymentService.Taken taken = payments.take(orderId, input, key);
    if (taken.repeated()) {
      ctx.header(LanApi.REPLAYED_HEADER, "true");
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", taken.payment().id());
    view.put("version", taken.payment().version());
    view.putAll(taken.payment().data());
    Map<String, Object> order = new LinkedHashMap<>();
    order.put("id", taken.order().id());
    order.put("status", taken.order().data().get("status"));
    order.put("total", taken.order().data().get("total"));
    order.put("amount_paid", taken.order().data().get("amount_paid"));
    order.put("balance_due", taken.order().data().get("balance_due"));
    view.put("order", order);
    ctx.status(201).json(view);
  }
}
