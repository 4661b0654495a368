package dev.olympus.edge.inventory;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.UuidV7;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stock on hand and low-stock alerts, worked out from the records the edge holds.
 *
 * <p>An item's on-hand is its latest count plus every movement recorded after that count. Counts
 * are the edge's own {@code count} movements and the cloud's {@code inventory_counts} (pulled,
 * server_wins: the back office's count is the truth); the latest by its count time wins, the
 * cloud's on a tie. A movement recorded at or before the count's time is taken to be in the count,
 * so it is not added twice; nothing is ever subtracted from the movements themselves, which stay
 * append-only, so a movement made offline is never lost, only placed before or after a count.
 *
 * <p>An item with a {@code reorder_level} (on its {@code inventory_items} record, or on its menu
 * item in the config) is low once its on-hand is at or below that level. Falling to it opens one
 * {@code inventory_alerts} record (synced, and a {@code low_stock_alert} on the LAN WebSocket);
 * stock back above the level clears it, and the next fall opens a new one. Which alert is open per
 * item is kept in {@code inventory_levels}.
 */
public final class StockLevels {
  private static final Logger log = LoggerFactory.getLogger(StockLevels.class);

  /** The cloud's stock counts, pulled (server_wins). */
  public static final String COUNTS = "inventory_counts";

  /** Low-stock alerts, opened and cleared by the edge, synced to the cloud. */
  public static final String ALERTS = "inventory_alerts";

  /** Records are read in pages of this many when every item's stock is worked out. */
  private static final int PAGE = 1_000;

  private final RecordStore records;
  private final ConfigCache config;
  private final Clock clock;
  private final Random random;

  public StockLevels(RecordStore records, ConfigCache config, Clock clock, Random random) {
    this.records = records;
    this.config = config;
    this.clock = clock;
    this.random = random;
  }

  /**
   * The count an item's on-hand starts from.
   *
   * @param source {@code cloud} (an {@code inventory_counts} record) or {@code edge} (a {@code
   *     count} movement)
   */
  public record Count(String id, String source, BigDecimal quantity, Instant countedAt) {}

  /**
   * An item's stock.
   *
   * @param lastCount the count it starts from; empty when it was never counted (it starts at 0)
   * @param movementsSinceCount the movements added to the count
   * @param reorderLevel at or below this the item is low; empty when it has none
   */
  public record OnHand(
      String itemId,
      BigDecimal quantity,
      Optional<Count> lastCount,
      int movementsSinceCount,
      Optional<BigDecimal> reorderLevel) {
    /** At or below its reorder level. */
    public boolean low() {
      return reorderLevel.isPresent() && quantity.compareTo(reorderLevel.get()) <= 0;
    }

    /** As the LAN API shows it. */
    public Map<String, Object> view() {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("item_id", itemId);
      v.put("on_hand", plain(quantity));
      v.put(
          "last_count",
          lastCount
              .<Object>map(
                  c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", c.id());
                    m.put("source", c.source());
                    m.put("quantity", plain(c.quantity()));
                    m.put("counted_at", c.countedAt().toString());
                    return m;
                  })
              .orElse(null));
      v.put("movements_since_count", movementsSinceCount);
      v.put("reorder_level", reorderLevel.map(StockLevels::plain).orElse(null));
      v.put("low_stock", low());
      return v;
    }
  }

  /** An item's stock; empty when the edge knows nothing of the item. */
  public Optional<OnHand> onHand(String itemId) {
    List<LocalRecord> movements = records.listBy(InventoryMovements.COLLECTION, "item_id", itemId);
    List<LocalRecord> counts = records.listBy(COUNTS, "item_id", itemId);
    Optional<BigDecimal> reorder = reorderLevel(itemId, records::find);
    if (movements.isEmpty() && counts.isEmpty() && !known(itemId)) {
      return Optional.empty();
    }
    return Optional.of(compute(itemId, movements, counts, reorder));
  }

  /** Every item with a movement, a count or an {@code inventory_items} record, by item id. */
  public List<OnHand> all() {
    Map<String, List<LocalRecord>> movements = byItem(InventoryMovements.COLLECTION);
    Map<String, List<LocalRecord>> counts = byItem(COUNTS);
    Set<String> items = new TreeSet<>(movements.keySet());
    items.addAll(counts.keySet());
    forEach(InventoryMovements.ITEMS, r -> items.add(r.id()));
    List<OnHand> out = new ArrayList<>(items.size());
    for (String item : items) {
      out.add(
          compute(
              item,
              movements.getOrDefault(item, List.of()),
              counts.getOrDefault(item, List.of()),
              reorderLevel(item, records::find)));
    }
    return out;
  }

  /** Alerts, newest first: the open ones, or all of them. */
  public List<LocalRecord> alerts(boolean openOnly) {
    List<LocalRecord> out = new ArrayList<>();
    forEach(
        ALERTS,
        r -> {
          if (!openOnly || "open".equals(r.data().get("status"))) {
            out.add(r);
          }
        });
    out.sort(Comparator.comparing(LocalRecord::id).reversed());
    return out;
  }

  /**
   * Works an item's stock out again inside the transaction that changed it, and opens or clears its
   * alert there, so a movement and the alert it causes commit together.
   */
  public void evaluate(RecordStore.Tx tx, String itemId) {
    Optional<BigDecimal> reorder = reorderLevel(itemId, tx::find);
    String open =
        tx.handle()
            .createQuery("SELECT alert_id FROM inventory_levels WHERE item_id = ?")
            .bind(0, itemId)
            .mapTo(String.class)
            .findOne()
            .orElse(null);
    if (open != null && tx.find(ALERTS, open).filter(r -> !r.deleted()).isEmpty()) {
      open = null;
    }
    if (reorder.isEmpty() && open == null) {
      // No level, no alert to clear: nothing to decide, so the item's history is not read inside
      // the writer's transaction (most menu items are never given a reorder level).
      return;
    }
    OnHand now =
        compute(
            itemId,
            tx.listBy(InventoryMovements.COLLECTION, "item_id", itemId),
            tx.listBy(COUNTS, "item_id", itemId),
            reorder);
    String stamp = clock.instant().toString();
    if (now.low() && open == null) {
      open = UuidV7.next(clock, random);
      Map<String, Object> alert = new LinkedHashMap<>();
      alert.put("item_id", itemId);
      alert.put("status", "open");
      alert.put("on_hand", plain(now.quantity()));
      alert.put("reorder_level", plain(now.reorderLevel().orElseThrow()));
      alert.put("raised_at", stamp);
      tx.put(ALERTS, open, alert);
      log.info(
          "low stock: {} at {} (reorder level {}), alert {}",
          itemId,
          plain(now.quantity()),
          plain(now.reorderLevel().orElseThrow()),
          open);
    } else if (!now.low() && open != null) {
      tx.patch(
          ALERTS,
          open,
          Map.of("status", "cleared", "on_hand", plain(now.quantity()), "cleared_at", stamp));
      log.info("stock of {} back above its reorder level at {}", itemId, plain(now.quantity()));
      open = null;
    }
    tx.handle()
        .createUpdate(
            "INSERT INTO inventory_levels (item_id, on_hand, alert_id, updated_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET"
                + " on_hand = excluded.on_hand, alert_id = excluded.alert_id,"
                + " updated_at = excluded.updated_at")
        .bind(0, itemId)
        .bind(1, plain(now.quantity()))
        .bind(2, open)
        .bind(3, clock.millis())
        .execute();
  }

  /**
   * After a pull: the stock of items whose counts, movements or item records came from the cloud is
   * worked out again, so a cloud count can open or clear an alert as a local movement does.
   */
  public void pulled(List<RecordState> changed) {
    Set<String> items = new TreeSet<>();
    for (RecordState r : changed) {
      if (r.collection().equals(InventoryMovements.ITEMS)) {
        items.add(r.id());
      } else if ((r.collection().equals(COUNTS)
              || r.collection().equals(InventoryMovements.COLLECTION))
          && r.data() != null
          && r.data().get("item_id") instanceof String item) {
        items.add(item);
      }
    }
    for (String item : items) {
      try {
        records.inTransaction(
            tx -> {
              evaluate(tx, item);
              return null;
            });
      } catch (RuntimeException e) {
        log.warn("stock of {} not worked out after a pull: {}", item, e.toString());
      }
    }
  }

  /** The on-hand from an item's movements and counts: see the class comment. */
  static OnHand compute(
      String itemId,
      List<LocalRecord> movements,
      List<LocalRecord> cloudCounts,
      Optional<BigDecimal> reorder) {
    Count latest = null;
    for (LocalRecord c : cloudCounts) {
      Optional<BigDecimal> q = decimal(c.data().get("quantity"));
      if (q.isEmpty()) {
        log.warn("{}/{} has no usable quantity: left out of the on-hand", COUNTS, c.id());
        continue;
      }
      Count count = new Count(c.id(), "cloud", q.get(), time(c, "counted_at"));
      if (latest == null || count.countedAt().isAfter(latest.countedAt())) {
        latest = count;
      }
    }
    for (LocalRecord m : movements) {
      if ("count".equals(m.data().get("kind"))) {
        Count count =
            new Count(
                m.id(),
                "edge",
                decimal(m.data().get("quantity")).orElse(BigDecimal.ZERO),
                time(m, "recorded_at"));
        // The cloud's count wins a tie: it is the authoritative one.
        if (latest == null || count.countedAt().isAfter(latest.countedAt())) {
          latest = count;
        }
      }
    }
    BigDecimal onHand = latest == null ? BigDecimal.ZERO : latest.quantity();
    int since = 0;
    for (LocalRecord m : movements) {
      Object kind = m.data().get("kind");
      if ("count".equals(kind)) {
        continue;
      }
      if (latest != null && !time(m, "recorded_at").isAfter(latest.countedAt())) {
        continue; // in the count already
      }
      BigDecimal q = decimal(m.data().get("quantity")).orElse(BigDecimal.ZERO);
      onHand = "receipt".equals(kind) ? onHand.add(q) : onHand.subtract(q);
      since++;
    }
    return new OnHand(itemId, onHand, Optional.ofNullable(latest), since, reorder);
  }

  private Optional<BigDecimal> reorderLevel(
      String itemId, BiFunction<String, String, Optional<LocalRecord>> find) {
    Optional<BigDecimal> fromItem =
        find.apply(InventoryMovements.ITEMS, itemId)
            .filter(r -> !r.deleted())
            .flatMap(r -> decimal(r.data().get("reorder_level")));
    if (fromItem.isPresent()) {
      return fromItem;
    }
    return config.find("menu_items", itemId).flatMap(e -> decimal(e.data().get("reorder_level")));
  }

  private boolean known(String itemId) {
    return config.find("menu_items", itemId).isPresent()
        || records.find(InventoryMovements.ITEMS, itemId).filter(r -> !r.deleted()).isPresent();
  }

  private Map<String, List<LocalRecord>> byItem(String collection) {
    Map<String, List<LocalRecord>> out = new TreeMap<>();
    forEach(
        collection,
        r -> {
          if (r.data().get("item_id") instanceof String item) {
            out.computeIfAbsent(item, k -> new ArrayList<>()).add(r);
          }
        });
    return out;
  }

  private void forEach(String collection, java.util.function.Consumer<LocalRecord> each) {
    String after = null;
    while (true) {
      List<LocalRecord> page = records.list(collection, after, PAGE);
      page.forEach(each);
      if (page.size() < PAGE) {
        return;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  /** A record's time field, or the wall-clock time of its version when the field is unusable. */
  private static Instant time(LocalRecord r, String field) {
    if (r.data().get(field) instanceof String s) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        // fall through: the version's time is the next best
      }
    }
    return Instant.ofEpochMilli(HybridLogicalClock.physical(r.version()));
  }

  private static Optional<BigDecimal> decimal(Object v) {
    if (v instanceof Number n) {
      return Optional.of(new BigDecimal(n.toString()));
    }
    if (v instanceof String s) {
      try {
        return Optional.of(new BigDecimal(s.trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  static String plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }
}
