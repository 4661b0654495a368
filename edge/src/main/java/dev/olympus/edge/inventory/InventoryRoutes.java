package dev.olympus.edge.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.pos.Fields;
import dev.olympus.edge.pos.LanApi;
import dev.olympus.edge.pos.LanRoutes;
import dev.olympus.edge.pos.RequestBody;
import dev.olympus.edge.store.RecordStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/v1/inventory/movements}. */
public final class InventoryRoutes implements LanRoutes {
  private final InventoryMovements movements;

  public InventoryRoutes(InventoryMovements movements) {
    this.movements = movements;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/inventory/movements", this::record);
  }

  private void record(Context ctx) {
    String key = RequestBody.idempotencyKey(ctx);
    JsonNode body =
        RequestBody.object(
            ctx,
            "{\"item_id\": \"…\", \"kind\": \"waste\", \"quantity\": 2}",
            4_096,
            "send only item_id, kind and quantity");
    String itemId = Fields.id(body, "item_id", "item_id", "the stock item's id");
    String kind = Fields.oneOf(body, "kind", InventoryMovements.KINDS);
    BigDecimal quantity = quantity(body);
    String employeeId =
        Fields.optionalId(body, "employee_id", "employee_id", "who records it").orElse(null);
    RecordStore.WriteResult w = movements.record(itemId, kind, quantity, employeeId, key);
    if (w.repeated()) {
      ctx.header(LanApi.REPLAYED_HEADER, "true");
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", w.record().id());
    view.put("version", w.record().version());
    view.putAll(w.record().data());
    ctx.status(201).json(view);
  }

  /** A number or a decimal string, at most three places (grams of a kilo, millilitres). */
  private static BigDecimal quantity(JsonNode body) {
    JsonNode v = body.get("quantity");
    if (v == null || v.isNull()) {
      throw new ApiException(
          400, "missing_field", "quantity is required: a number such as 2 or \"0.5\"", "quantity");
    }
    BigDecimal q;
    if (v.isNumber()) {
      q = v.decimalValue();
    } else if (v.isTextual()) {
      try {
        q = new BigDecimal(v.asText().trim());
      } catch (NumberFormatException e) {
        q = null;
      }
    } else {
      q = null;
    }
    if (q == null || q.stripTrailingZeros().scale() > 3 || q.abs().compareTo(MAX) > 0) {
      throw new ApiException(
          400,
          "invalid_field",
          "quantity must be a number with at most three decimal places, was " + v,
          "quantity");
    }
    return q.stripTrailingZeros().scale() < 0 ? q.setScale(0) : q.stripTrailingZeros();
  }

  private static final BigDecimal MAX = BigDecimal.valueOf(1_000_000_000L);
}
