package dev.olympus.edge.orders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.orders.OrderStatus;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.pos.Fields;
import dev.olympus.edge.pos.LanApi;
import dev.olympus.edge.pos.LanRoutes;
import dev.olympus.edge.pos.RequestBody;
import dev.olympus.edge.store.LocalRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code /api/v1/orders}: open, read, add and remove items, change status. */
public final class OrderRoutes implements LanRoutes {
  /** Items in one request at most: a large party's order, not a bulk import. */
  static final int MAX_ITEMS = 200;

  private static final Set<String> STATUSES =
      Arrays.stream(OrderStatus.values()).map(OrderStatus::wireName).collect(Collectors.toSet());

  private final OrderService orders;
  private final long maxBodyBytes;

  public OrderRoutes(OrderService orders, long maxBodyBytes) {
    this.orders = orders;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/orders", this::create);
    routes.get("/api/v1/orders/{id}", this::get);
    routes.post("/api/v1/orders/{id}/items", this::addItems);
    routes.delete("/api/v1/orders/{id}/items/{line_id}", this::removeItem);
    routes.post("/api/v1/orders/{id}/status", this::changeStatus);
  }

  private void create(Context ctx) {
    String key = RequestBody.idempotencyKey(ctx);
    JsonNode body =
        RequestBody.object(
            ctx,
            "{\"order_type\": \"dine_in\", \"items\": [{\"menu_item_id\": \"…\", \"quantity\":"
                + " 1}]}",
            maxBodyBytes,
            "send at most " + MAX_ITEMS + " items, then add more");
    NewOrder order =
        new NewOrder(
            Fields.optionalId(body, "id", "id", "the order's id, a UUIDv7").orElse(null),
            Fields.oneOf(body, "order_type", OrderService.ORDER_TYPES),
            body.has("items") ? items(body, false) : List.of(),
            Fields.optionalId(body, "employee_id", "employee_id", "who takes the order")
                .orElse(null),
            Fields.optionalId(body, "table_id", "table_id", "the table").orElse(null),
            Fields.optionalId(body, "rvc_id", "rvc_id", "the revenue centre").orElse(null),
            Fields.idList(body, "discount_ids", "discount_ids", 10),
            businessDate(body));
    OrderService.Created created = orders.create(order, key);
    if (created.repeated()) {
      ctx.header(LanApi.REPLAYED_HEADER, "true");
    }
    respond(ctx, 201, created.order());
  }

  private void get(Context ctx) {
    respond(ctx, 200, orders.get(orderId(ctx)));
  }

  private void addItems(Context ctx) {
    String id = orderId(ctx);
    JsonNode body =
        RequestBody.object(
            ctx,
            "{\"items\": [{\"menu_item_id\": \"…\", \"quantity\": 1}]}",
            maxBodyBytes,
            "send at most " + MAX_ITEMS + " items at a time");
    respond(ctx, 200, orders.addItems(id, items(body, true)));
  }

  private void removeItem(Context ctx) {
    String id = orderId(ctx);
    String lineId = Fields.requireId(ctx.pathParam("line_id"), "line_id");
    respond(ctx, 200, orders.removeItem(id, lineId));
  }

  private void changeStatus(Context ctx) {
    String id = orderId(ctx);
    JsonNode body =
        RequestBody.object(ctx, "{\"status\": \"confirmed\"}", 4_096, "send only status");
    OrderStatus to = OrderStatus.parse(Fields.oneOf(body, "status", STATUSES));
    String employeeId =
        Fields.optionalId(body, "employee_id", "employee_id", "who changes the status")
            .orElse(null);
    respond(ctx, 200, orders.changeStatus(id, to, employeeId));
  }

  private static List<ItemRequest> items(JsonNode body, boolean required) {
    JsonNode items = body.get("items");
    if (items == null || items.isNull()) {
      throw new ApiException(
          400,
          "missing_field",
          "items is required: an array of {\"menu_item_id\", \"quantity\", \"modifier_ids\"}",
          "items");
    }
    if (!items.isArray()) {
      throw new ApiException(
          400,
          "invalid_field",
          "items must be an array of {\"menu_item_id\", \"quantity\", \"modifier_ids\"}",
          "items");
    }
    if (items.size() > MAX_ITEMS || (required && items.isEmpty())) {
      throw new ApiException(
          400,
          "invalid_field",
          "items must hold 1 to " + MAX_ITEMS + " items, had " + items.size(),
          "items");
    }
    List<ItemRequest> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String path = "items[" + i + "]";
      if (!item.isObject()) {
        throw new ApiException(
            400,
            "invalid_field",
            path + " must be an object {\"menu_item_id\", \"quantity\", \"modifier_ids\"}",
            path);
      }
      out.add(
          new ItemRequest(
              Fields.id(item, "menu_item_id", path + ".menu_item_id", "the menu item's id"),
              Fields.wholeNumber(item, "quantity", path + ".quantity", 1, 999),
              Fields.idList(item, "modifier_ids", path + ".modifier_ids", 50),
              Fields.idList(item, "discount_ids", path + ".discount_ids", 10),
              Fields.optionalText(item, "note", path + ".note", 200, "a note for the kitchen")
                  .orElse(null)));
    }
    return out;
  }

  private static String orderId(Context ctx) {
    return Fields.requireId(ctx.pathParam("id"), "id");
  }

  /** An order as terminals get it: its id and version, then its fields. */
  public static Map<String, Object> view(LocalRecord order) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", order.id());
    v.put("version", order.version());
    v.putAll(order.data());
    return v;
  }

  private static void respond(Context ctx, int status, LocalRecord order) {
    ctx.header("ETag", "\"" + order.version() + "\"").status(status).json(view(order));
  }

  private static java.time.LocalDate businessDate(JsonNode body) {
    Optional<String> text =
        Fields.optionalText(body, "business_date", "business_date", 10, "a date YYYY-MM-DD");
    if (text.isEmpty()) {
      return null;
    }
    try {
      return java.time.LocalDate.parse(text.get());
    } catch (java.time.format.DateTimeParseException e) {
      throw new ApiException(
          400,
          "invalid_field",
          "business_date must be a date YYYY-MM-DD, was '" + text.get() + "'",
          "business_date");
    }
  }
}
