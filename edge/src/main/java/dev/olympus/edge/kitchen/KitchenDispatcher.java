package dev.olympus.edge.kitchen;

import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigEntity;
import dev.olympus.edge.orders.FiredOrders;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a fired order to the kitchen, inside the transaction that fires it: its items are routed
 * with {@link KitchenRouter} over the cached config (read in {@link #prepare()}, before the
 * transaction); each printer gets an ESC/POS ticket in the {@link PrintQueue} (the {@link
 * PrintSpooler} prints it once committed), and each KDS device a record of {@code kitchen_tickets},
 * which reaches it on the LAN WebSocket as a {@code kitchen_ticket} frame and is caught up after a
 * reconnect like any change.
 */
public final class KitchenDispatcher implements FiredOrders {
  private static final Logger log = LoggerFactory.getLogger(KitchenDispatcher.class);

  /** The collection KDS tickets are stored in. */
  public static final String TICKETS = "kitchen_tickets";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  private final ConfigCache config;
  private final EscPosTicketEncoder encoder;
  private final Clock clock;
  private final Supplier<ZoneId> zone;
  private final Runnable queued;

  /**
   * @param zone the property's time zone (the time printed on tickets)
   * @param queued called after the firing transaction committed print jobs (wakes the spooler)
   */
  public KitchenDispatcher(
      ConfigCache config,
      EscPosTicketEncoder encoder,
      Clock clock,
      Supplier<ZoneId> zone,
      Runnable queued) {
    this.config = config;
    this.encoder = encoder;
    this.clock = clock;
    this.zone = zone;
    this.queued = queued;
  }

  @Override
  public Dispatch prepare() {
    KitchenRouter router = KitchenRouter.fromConfig(routingConfig());
    List<ConfigEntity> rvcs = config.list("rvcs");
    String onlyRvc = rvcs.size() == 1 ? rvcs.get(0).id() : null;
    Map<String, String> printerNames = new HashMap<>();
    for (ConfigEntity p : config.list("printers")) {
      p.text("name").ifPresent(n -> printerNames.put(p.id(), n));
    }
    ZoneId tz = zone.get();
    // A restaurant without kitchen devices (a coffee bar) routes nothing on purpose: no warning.
    boolean hasKitchen = !printerNames.isEmpty() || !config.list("kds_devices").isEmpty();
    return (tx, order, lineIds) ->
        dispatch(tx, order, lineIds, router, onlyRvc, printerNames, tz, hasKitchen);
  }

  private void dispatch(
      RecordStore.Tx tx,
      LocalRecord order,
      java.util.Set<String> lineIds,
      KitchenRouter router,
      String onlyRvc,
      Map<String, String> printerNames,
      ZoneId tz,
      boolean hasKitchen) {
    Map<String, Object> o = order.data();
    // A voided order already in the kitchen: the same routes, as a recall.
    boolean voided = "void".equals(String.valueOf(o.get("status")));
    List<FiredItem> items = items(o);
    if (lineIds != null) {
      items.removeIf(i -> !lineIds.contains(i.lineId()));
    }
    if (items.isEmpty()) {
      return;
    }
    String rvc = o.get("rvc_id") != null ? o.get("rvc_id").toString() : onlyRvc;
    KitchenRoutes routes = router.route(rvc, items);
    // Ids travel to the cloud: letters, digits and . _ : - only.
    String fireId = order.id() + ":" + order.version();
    String number = String.valueOf(o.get("order_number"));
    String orderType = String.valueOf(o.get("order_type"));
    String table = o.get("table_id") == null ? null : o.get("table_id").toString();
    String server = o.get("employee_id") == null ? null : o.get("employee_id").toString();
    String firedAt = clock.instant().atZone(tz).format(TIME);
    List<String> jobs =
        FiredTickets.enqueue(
            tx.handle(),
            fireId,
            routes,
            (printerId, ticketItems) ->
                new KitchenTicket(
                    number,
                    orderType,
                    printerNames.get(printerId),
                    table,
                    server,
                    firedAt,
                    ticketItems,
                    voided),
            encoder,
            clock.millis());
    for (Map.Entry<String, List<FiredItem>> kds : routes.kdsDevices().entrySet()) {
      Map<String, Object> ticket = new LinkedHashMap<>();
      ticket.put("kds_device_id", kds.getKey());
      ticket.put("order_id", order.id());
      ticket.put("order_number", number);
      ticket.put("order_type", orderType);
      if (table != null) {
        ticket.put("table_id", table);
      }
      ticket.put("fired_at", clock.instant().toString());
      if (voided) {
        ticket.put("status", "void");
      }
      List<Map<String, Object>> lines = new ArrayList<>();
      for (FiredItem item : kds.getValue()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("line_id", item.lineId());
        line.put("menu_item_id", item.menuItemId());
        line.put("name", item.name());
        line.put("quantity", item.quantity());
        line.put("modifiers", item.modifiers());
        if (item.note() != null) {
          line.put("note", item.note());
        }
        lines.add(line);
      }
      ticket.put("items", lines);
      tx.put(TICKETS, fireId + ":" + kds.getKey(), ticket);
    }
    if (!routes.unrouted().isEmpty()) {
      log.atLevel(hasKitchen ? org.slf4j.event.Level.WARN : org.slf4j.event.Level.DEBUG)
          .log(
              "order {} #{}: {} item(s) reach no printer or KDS (no print class, or no routing for"
                  + " it in revenue centre {}): {}",
              order.id(),
              number,
              routes.unrouted().size(),
              rvc,
              routes.unrouted().stream().map(FiredItem::name).toList());
    }
    if (!jobs.isEmpty()) {
      tx.handle().afterCommit(queued::run);
    }
  }

  private Map<String, List<Map<String, Object>>> routingConfig() {
    Map<String, List<Map<String, Object>>> byType = new HashMap<>();
    for (String type :
        List.of("menu_items", "print_class_routing", "order_device_printers", "order_device_kds")) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ConfigEntity e : config.list(type)) {
        Map<String, Object> row = new HashMap<>(e.data());
        row.putIfAbsent("id", e.id());
        rows.add(row);
      }
      byType.put(type, rows);
    }
    return byType;
  }

  @SuppressWarnings("unchecked")
  private static List<FiredItem> items(Map<String, Object> o) {
    List<FiredItem> items = new ArrayList<>();
    if (!(o.get("items") instanceof List<?> list)) {
      return items;
    }
    for (Object x : list) {
      Map<String, Object> item = (Map<String, Object>) x;
      List<String> modifiers = new ArrayList<>();
      if (item.get("modifiers") instanceof List<?> mods) {
        for (Object m : mods) {
          if (m instanceof Map<?, ?> mm && mm.get("name") != null) {
            modifiers.add(mm.get("name").toString());
          }
        }
      }
      items.add(
          new FiredItem(
              String.valueOf(item.get("line_id")),
              String.valueOf(item.get("menu_item_id")),
              item.get("name") == null ? null : item.get("name").toString(),
              ((Number) item.get("quantity")).intValue(),
              modifiers,
              item.get("note") == null ? null : item.get("note").toString()));
    }
    return items;
  }
}
