package dev.olympus.edge.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.pos.Fields;
import dev.olympus.edge.pos.LanApi;
import dev.olympus.edge.pos.LanRoutes;
import dev.olympus.edge.pos.RequestBody;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/inventory/movements}, {@code GET /api/v1/inventory/on-hand[/{item_id}]} and
 * {@code GET /api/v1/inventory/alerts}.
 */
public final class InventoryRoutes implements LanRoutes {
  private final InventoryMovements movements;
  private final StockLevels levels;

  public InventoryRoutes(InventoryMovements movements, StockLevels levels) {
    this.movements = movements;
    this.levels = levels;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/inventory/movements", this::record);
    routes.get("/api/v1/inventory/on-hand", this::allOnHand);
    routes.get("/api/v1/inventory/on-hand/{item_id}", this::onHand);
    routes.get("/api/v1/inventory/alerts", this::alerts);
  }

  private void allOnHand(Context ctx) {
    ctx.json(Map.of("items", levels.all().stream().map(StockLevels.OnHand::view).toList()));
  }

  private void onHand(Context ctx) {
    String itemId = Fields.requireId(ctx.pathParam("item_id"), "item_id");
    StockLevels.OnHand onHand =
        levels
            .onHand(itemId)
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "not_found",
                        "item "
                            + itemId
                            + " is neither a menu item, nor a record of "
                            + InventoryMovements.ITEMS
                            + ", nor in any movement or count",
                        "item_id"));
    ctx.json(onHand.view());
  }

  private void alerts(Context ctx) {
    String status = ctx.queryParam("status");
    if (status != null && !status.equals("open") && !status.equals("all")) {
      throw new ApiException(
          400,
          "invalid_field",
          "status must be open (the default: alerts not cleared yet) or all, was '" + status + "'",
          "status");
    }
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (LocalRecord r : levels.alerts(!"all".equals(status))) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("id", r.id());
      v.put("version", r.version());
      v.putAll(r.data());
      alerts.add(v);
    }
    ctx.json(Map.of("alerts", alerts));
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
