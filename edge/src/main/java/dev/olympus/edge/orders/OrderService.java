package dev.olympus.edge.orders;

import dev.olympus.core.orders.Discount;
import dev.olympus.core.orders.Money;
import dev.olympus.core.orders.OrderLifecycle;
import dev.olympus.core.orders.OrderLine;
import dev.olympus.core.orders.OrderNumber;
import dev.olympus.core.orders.OrderRefusal;
import dev.olympus.core.orders.OrderRuleException;
import dev.olympus.core.orders.OrderStatus;
import dev.olympus.core.orders.ServiceCharge;
import dev.olympus.core.sync.UuidV7;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigEntity;
import dev.olympus.edge.payments.PaymentSettlements;
import dev.olympus.edge.pos.ApiException;
import dev.olympus.edge.pos.KeyedWrites;
import dev.olympus.edge.store.LanOps;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orders taken on the LAN, offline too: priced from the cached config, numbered per business date,
 * stored as records of {@code orders} through the {@link RecordStore} (so each change reaches the
 * cloud), moved through {@link OrderLifecycle}. Every change is one transaction that reads the
 * order and writes it back, inside the store's single writer, so two terminals changing one order
 * at once are applied one after the other, never lost.
 */
public final class OrderService {
  private static final Logger log = LoggerFactory.getLogger(OrderService.class);

  /** The collection orders are stored in. */
  public static final String COLLECTION = "orders";

  /** The order types a terminal may open. */
  public static final Set<String> ORDER_TYPES =
      Set.of("dine_in", "takeout", "delivery", "drive_thru");

  private final RecordStore records;
  private final ConfigCache config;

  private record CachedCatalog(long version, OrderCatalog catalog) {}

  /** The catalog of the config version last seen: rebuilt only when the config moves. */
  private volatile CachedCatalog cachedCatalog;

  private final BusinessDates dates;
  private final String locationId;
  private final Clock clock;
  private final Random random;
  private final FiredOrders fired;

  /**
   * @param fired sends each fired order to the kitchen, inside the transaction that fires it
   */
  public OrderService(
      RecordStore records,
      ConfigCache config,
      BusinessDates dates,
      String locationId,
      Clock clock,
      Random random,
      FiredOrders fired) {
    this.records = records;
    this.config = config;
    this.dates = dates;
    this.locationId = locationId;
    this.clock = clock;
    this.random = random;
    this.fired = fired;
  }

  /** An order created or, for a repeated Idempotency-Key, found. */
  public record Created(LocalRecord order, boolean repeated) {}

  /**
   * Opens an order: priced, numbered, stored. With an {@code idempotencyKey} seen before, nothing
   * is written and the order that key created is returned.
   */
  public Created create(NewOrder request, String idempotencyKey) {
    String id = request.id() != null ? request.id() : UuidV7.next(clock, random);
    // A refusal (unknown item, closed business date) is remembered under the key, like a success.
    return KeyedWrites.decide(
        records, idempotencyKey, COLLECTION, id, () -> create(request, id, idempotencyKey));
  }

  private Created create(NewOrder request, String id, String idempotencyKey) {
    OrderCatalog catalog = catalog();
    if (request.employeeId() != null) {
      catalog.requireEmployee(request.employeeId(), "employee_id");
    }
    List<Map<String, Object>> items = items(catalog, request.items());
    List<Map<String, Object>> discounts = new ArrayList<>();
    for (int i = 0; i < request.discountIds().size(); i++) {
      Discount d = catalog.discount(request.discountIds().get(i), "discount_ids[" + i + "]");
      discounts.add(OrderDocument.discount(d));
    }
    List<Map<String, Object>> charges = new ArrayList<>();
    for (ServiceCharge c : catalog.autoAppliedServiceCharges()) {
      charges.add(OrderDocument.charge(c));
    }
    LocalDate businessDate = dates.today();
    if (request.businessDate() != null && !request.businessDate().equals(businessDate)) {
      boolean closed = request.businessDate().isBefore(businessDate);
      throw new ApiException(
          409,
          closed ? "business_date_closed" : "business_date_not_open",
          "business date "
              + request.businessDate()
              + (closed ? " is closed" : " is not open yet")
              + ": the restaurant's business date is "
              + businessDate
              + "; ring the order on the current day",
          "business_date");
    }
    return records.inTransaction(
        tx -> {
          if (idempotencyKey != null) {
            Optional<LanOps.Outcome> seen = tx.seen(idempotencyKey);
            if (seen.isPresent()) {
              return new Created(replay(tx, idempotencyKey, seen.get()), true);
            }
          }
          if (tx.find(COLLECTION, id).isPresent()) {
            throw new ApiException(
                409,
                "conflict",
                "order " + id + " already exists: send a new id, or an Idempotency-Key to retry",
                "id");
          }
          OrderNumber number = OrderNumbers.next(tx.handle(), locationId, businessDate);
          String now = clock.instant().toString();
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("order_number", number.display());
          data.put("business_date", businessDate.toString());
          data.put("location_id", locationId);
          data.put("order_type", request.orderType());
          data.put("status", OrderStatus.PENDING.wireName());
          putIfNotNull(data, "employee_id", request.employeeId());
          putIfNotNull(data, "table_id", request.tableId());
          putIfNotNull(data, "rvc_id", request.rvcId());
          data.put("items", items);
          data.put("discounts", discounts);
          data.put("charges", charges);
          data.put("amount_paid", Money.format(Money.ZERO));
          price(data, catalog);
          data.put("created_at", now);
          data.put("updated_at", now);
          LocalRecord order = tx.put(COLLECTION, id, data, idempotencyKey);
          if (idempotencyKey != null) {
            tx.remember(idempotencyKey, COLLECTION, id, 201);
          }
          log.debug("order {} #{} opened, total {}", id, number.display(), data.get("total"));
          return new Created(order, false);
        });
  }

  private static LocalRecord replay(RecordStore.Tx tx, String key, LanOps.Outcome first) {
    return KeyedWrites.firstRecord(tx, key, first, COLLECTION, "new order");
  }

  /** The order; 404 when there is none. */
  public LocalRecord get(String id) {
    return records.find(COLLECTION, id).filter(r -> !r.deleted()).orElseThrow(() -> notFound(id));
  }

  /**
   * Adds items to an open order and prices it again. On an order already in the kitchen (fired),
   * the added items go to the kitchen at once, on tickets of their own.
   */
  public LocalRecord addItems(String id, List<ItemRequest> added) {
    OrderCatalog catalog = catalog();
    FiredOrders.Dispatch dispatch = fired.prepare();
    java.util.Set<String> addedLines = new java.util.HashSet<>();
    return change(
        id,
        dispatch,
        addedLines,
        (tx, data) -> {
          OrderLifecycle.requireItemsEditable(OrderDocument.status(data));
          List<Map<String, Object>> items = new ArrayList<>(OrderDocument.items(data));
          List<Map<String, Object>> lines = items(catalog, added);
          lines.forEach(line -> addedLines.add(String.valueOf(line.get("line_id"))));
          items.addAll(lines);
          data.put("items", items);
          price(data, catalog);
          return data.get("fired_at") != null;
        });
  }

  /** Removes a line of an open order and prices it again. */
  public LocalRecord removeItem(String id, String lineId) {
    OrderCatalog catalog = catalog();
    return change(
        id,
        data -> {
          OrderLifecycle.requireItemsEditable(OrderDocument.status(data));
          List<Map<String, Object>> items = new ArrayList<>(OrderDocument.items(data));
          boolean removed = items.removeIf(i -> lineId.equals(i.get("line_id")));
          if (!removed) {
            throw new ApiException(
                404,
                "not_found",
                "order " + id + " has no line " + lineId + ": GET the order for its line ids",
                "line_id");
          }
          data.put("items", items);
          price(data, catalog);
          BigDecimal paid = OrderDocument.amount(data, "amount_paid");
          if (paid.compareTo(OrderDocument.amount(data, "total")) > 0) {
            throw new OrderRuleException(
                new OrderRefusal(
                    "overpaid",
                    "order "
                        + id
                        + " has "
                        + Money.format(paid)
                        + " paid: removing this line would bring its total below that (refund"
                        + " first)"));
          }
        });
  }

  /**
   * Moves the order to {@code to} through {@link OrderLifecycle}. Completing needs the payments to
   * cover the total; voiding a completed order needs an employee holding {@link
   * OrderLifecycle#VOID_COMPLETED_PRIVILEGE}.
   *
   * @param employeeId who asks, or null (their privileges decide a void of a completed order)
   */
  public LocalRecord changeStatus(String id, OrderStatus to, String employeeId) {
    boolean mayVoidCompleted =
        employeeId != null
            && privileges(employeeId).contains(OrderLifecycle.VOID_COMPLETED_PRIVILEGE);
    boolean mayFire =
        to == OrderStatus.CONFIRMED || to == OrderStatus.PREPARING || to == OrderStatus.READY;
    FiredOrders.Dispatch dispatch = mayFire || to == OrderStatus.VOID ? fired.prepare() : null;
    return change(
        id,
        dispatch,
        null,
        (tx, data) -> {
          OrderStatus from = OrderDocument.status(data);
          OrderLifecycle.transition(from, to, mayVoidCompleted);
          if (to == OrderStatus.COMPLETED) {
            BigDecimal due = OrderDocument.amount(data, "balance_due");
            if (due.signum() > 0) {
              throw new OrderRuleException(
                  new OrderRefusal(
                      "balance_due",
                      "order "
                          + id
                          + " still has "
                          + Money.format(due)
                          + " to pay: take the payment before completing it"));
            }
          }
          if (to == OrderStatus.VOID) {
            PaymentSettlements.onOrderVoided(tx, id, clock);
          }
          data.put("status", to.wireName());
          if (employeeId != null && to == OrderStatus.VOID) {
            data.put("voided_by", employeeId);
          }
          boolean firing = from == OrderStatus.PENDING && mayFire;
          if (firing) {
            data.put("fired_at", clock.instant().toString());
          }
          // Voided while the kitchen makes it: the same stations get a void ticket. (A completed
          // order has been served: nothing to recall.)
          boolean recall =
              to == OrderStatus.VOID
                  && from != OrderStatus.COMPLETED
                  && data.get("fired_at") != null;
          return firing || recall;
        });
  }

  private Set<String> privileges(String employeeId) {
    Optional<ConfigEntity> employee = config.find("employees", employeeId);
    if (employee.isEmpty()) {
      throw new ApiException(
          400,
          "unknown_reference",
          "employee_id: employee '" + employeeId + "' is not in this restaurant's config",
          "employee_id");
    }
    return employee
        .flatMap(e -> e.text("role_id"))
        .flatMap(r -> config.find("roles", r))
        .map(r -> r.data().get("privileges"))
        .filter(List.class::isInstance)
        .map(l -> Set.copyOf(((List<?>) l).stream().map(String::valueOf).toList()))
        .orElse(Set.of());
  }

  /** Reads, changes and writes back an order in one transaction. */
  private LocalRecord change(String id, Consumer<Map<String, Object>> edit) {
    return change(
        id,
        null,
        null,
        (tx, data) -> {
          edit.accept(data);
          return false;
        });
  }

  /** A change of an order; returns whether it fired the order to the kitchen. */
  private interface Edit {
    boolean apply(RecordStore.Tx tx, Map<String, Object> data);
  }

  /**
   * @param dispatch sends the order to the kitchen when {@code edit} says it fired it (null when
   *     the change cannot fire)
   * @param lineIds the lines to send when it fires, or null for all
   */
  private LocalRecord change(
      String id, FiredOrders.Dispatch dispatch, java.util.Set<String> lineIds, Edit edit) {
    return records.inTransaction(
        tx -> {
          LocalRecord current =
              tx.find(COLLECTION, id).filter(r -> !r.deleted()).orElseThrow(() -> notFound(id));
          Map<String, Object> data = new LinkedHashMap<>(current.data());
          boolean firing = edit.apply(tx, data);
          data.put("updated_at", clock.instant().toString());
          LocalRecord written = tx.put(COLLECTION, id, data);
          if (firing && dispatch != null) {
            dispatch.onFired(tx, written, lineIds);
          }
          return written;
        });
  }

  /** Lines at today's prices; refusals name the item by its place in the request. */
  private List<Map<String, Object>> items(OrderCatalog catalog, List<ItemRequest> requested) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      ItemRequest r = requested.get(i);
      OrderLine line = catalog.line(UuidV7.next(clock, random), r, "items[" + i + "]");
      items.add(OrderDocument.item(line, r.note()));
    }
    return items;
  }

  private static void price(Map<String, Object> data, OrderCatalog catalog) {
    try {
      OrderDocument.price(data, catalog.taxGroups());
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          503,
          "config_invalid",
          "the order cannot be priced with the synced config: " + e.getMessage(),
          null);
    }
  }

  private static void putIfNotNull(Map<String, Object> data, String field, Object value) {
    if (value != null) {
      data.put(field, value);
    }
  }

  static ApiException notFound(String id) {
    return new ApiException(404, "not_found", "order " + id + " does not exist", "id");
  }

  /**
   * The menu, prices and employees as orders need them. Building it reads and parses the whole
   * menu, so it is kept until the synced config's version changes. The version is read first: data
   * read after it is at least that new, so a catalog is never kept under a newer version than it
   * holds.
   */
  private OrderCatalog catalog() {
    long version = config.version();
    CachedCatalog cached = cachedCatalog;
    if (cached != null && cached.version() == version && version > 0) {
      return cached.catalog();
    }
    OrderCatalog fresh = OrderCatalog.load(config);
    cachedCatalog = new CachedCatalog(version, fresh);
    return fresh;
  }
}
