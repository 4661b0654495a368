package dev.olympus.edge.inventory;

import dev.olympus.core.sync.UuidV7;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.orders.BusinessDates;
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
import java.util.Set;

/**
 * Stock movements (sales, waste, deliveries, counts) as append-only records of {@code
 * inventory_movements}: never edited, a mistake is corrected by another movement, so movements
 * written offline on the edge and in the cloud never conflict.
 */
public final class InventoryMovements {
  /** The collection movements are stored in. */
  public static final String COLLECTION = "inventory_movements";

  /** Stock items that are not menu items (flour, cups) live in this collection. */
  public static final String ITEMS = "inventory_items";

  public static final Set<String> KINDS = Set.of("sale", "waste", "receipt", "count");

  private final RecordStore records;
  private final ConfigCache config;
  private final BusinessDates dates;
  private final Clock clock;
  private final Random random;
  private final StockLevels levels;

  public InventoryMovements(
      RecordStore records,
      ConfigCache config,
      BusinessDates dates,
      StockLevels levels,
      Clock clock,
      Random random) {
    this.records = records;
    this.config = config;
    this.dates = dates;
    this.levels = levels;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Records a movement of {@code quantity} of an item: a menu item of the config or a record of
   * {@code inventory_items}. The item's stock is worked out again in the same transaction, which
   * opens or clears its low-stock alert. A refusal is remembered under the Idempotency-Key.
   *
   * @param quantity above zero; zero too for a count (the shelf is empty)
   */
  public RecordStore.WriteResult record(
      String itemId, String kind, BigDecimal quantity, String employeeId, String idempotencyKey) {
    String id = UuidV7.next(clock, random);
    return KeyedWrites.decide(
        records,
        idempotencyKey,
        COLLECTION,
        id,
        () -> record(id, itemId, kind, quantity, employeeId, idempotencyKey));
  }

  private RecordStore.WriteResult record(
      String id,
      String itemId,
      String kind,
      BigDecimal quantity,
      String employeeId,
      String idempotencyKey) {
    boolean known =
        config.find("menu_items", itemId).isPresent()
            || records.find(ITEMS, itemId).filter(r -> !r.deleted()).isPresent();
    if (!known) {
      throw new ApiException(
          400,
          "unknown_reference",
          "item_id: '"
              + itemId
              + "' is neither a menu item of this restaurant nor a record of "
              + ITEMS,
          "item_id");
    }
    if (quantity.signum() < 0 || (quantity.signum() == 0 && !"count".equals(kind))) {
      throw new ApiException(
          400,
          "invalid_field",
          "quantity must be above zero"
              + ("count".equals(kind) ? " or zero for a count" : "")
              + ", was "
              + quantity.toPlainString(),
          "quantity");
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("item_id", itemId);
    data.put("kind", kind);
    data.put("quantity", quantity.toPlainString());
    if (employeeId != null) {
      data.put("employee_id", employeeId);
    }
    data.put("business_date", dates.today().toString());
    data.put("recorded_at", clock.instant().toString());
    return records.inTransaction(
        tx -> {
          if (idempotencyKey != null) {
            Optional<LanOps.Outcome> seen = tx.seen(idempotencyKey);
            if (seen.isPresent()) {
              return replay(tx, idempotencyKey, seen.get());
            }
          }
          LocalRecord written = tx.put(COLLECTION, id, data, idempotencyKey);
          if (idempotencyKey != null) {
            tx.remember(idempotencyKey, COLLECTION, id, 201);
          }
          levels.evaluate(tx, itemId);
          return new RecordStore.WriteResult(written, true, false);
        });
  }

  private static RecordStore.WriteResult replay(
      RecordStore.Tx tx, String key, LanOps.Outcome first) {
    return new RecordStore.WriteResult(
        KeyedWrites.firstRecord(tx, key, first, COLLECTION, "movement"), true, true);
  }
}
