package dev.olympus.core.conflict;

import dev.olympus.core.sync.RecordState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code custom:orders}: an order's status only moves forward (pending, confirmed, preparing,
 * ready, completed; voided ends any of them), money fields keep the server's values, kitchen notes
 * written on either side are kept, and every other field is last write wins.
 */
public final class OrderResolver implements ConflictResolver {
  /** The status order; a later one always wins. {@code voided} ends an order from any status. */
  public static final List<String> STATUS_ORDER =
      List.of("pending", "confirmed", "preparing", "ready", "completed", "voided");

  /** Fields that carry money: the server computed or settled them, so its values win. */
  public static final Set<String> MONEY_FIELDS =
      Set.of(
          "subtotal",
          "tax",
          "tax_amount",
          "total",
          "total_amount",
          "discount_total",
          "service_charge_total",
          "tip",
          "tip_amount",
          "amount_paid",
          "balance_due");

  static final String STATUS = "status";
  static final String KITCHEN_NOTES = "kitchen_notes";

  @Override
  public RecordState resolve(RecordState server, RecordState incoming) {
    boolean incomingNewer = LastWriteWins.isNewer(incoming, server);
    RecordState newer = incomingNewer ? incoming : server;
    RecordState older = incomingNewer ? server : incoming;

    Map<String, Object> data = new LinkedHashMap<>(older.data());
    data.putAll(newer.data());
    for (String field : MONEY_FIELDS) {
      if (server.data().containsKey(field)) {
        data.put(field, server.data().get(field));
      }
    }
    Object status = laterStatus(server.data().get(STATUS), incoming.data().get(STATUS));
    if (status != null) {
      data.put(STATUS, status);
    }
    String notes =
        keepBothNotes(server.data().get(KITCHEN_NOTES), incoming.data().get(KITCHEN_NOTES));
    if (notes != null) {
      data.put(KITCHEN_NOTES, notes);
    }
    return new RecordState(
        server.collection(),
        server.id(),
        data,
        newer.version(),
        newer.origin(),
        Map.of(),
        newer.deleted());
  }

  private static Object laterStatus(Object server, Object incoming) {
    // List.of(...).indexOf(null) throws, and an order without a status is valid input.
    int s = rank(server);
    int i = rank(incoming);
    if (s < 0 && i < 0) {
      return server != null ? server : incoming;
    }
    return i > s ? incoming : server;
  }

  /**
   * The status's place in {@link #STATUS_ORDER}, -1 when unknown. {@code void} (the wire name of
   * {@code OrderStatus.VOID}, what the edge's order endpoints write) ranks as {@code voided}:
   * without this, a void would lose every conflict to an open status.
   */
  private static int rank(Object status) {
    if (status == null) {
      return -1;
    }
    return STATUS_ORDER.indexOf("void".equals(status) ? "voided" : status);
  }

  private static String keepBothNotes(Object server, Object incoming) {
    String s = server instanceof String str && !str.isBlank() ? str : null;
    String i = incoming instanceof String str && !str.isBlank() ? str : null;
    if (s == null || i == null) {
      return s != null ? s : i;
    }
    if (s.contains(i)) {
      return s;
    }
    if (i.contains(s)) {
      return i;
    }
    return s + "\n" + i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrderResolver;
  }

  @Override
  public int hashCode() {
    return Objects.hash(OrderResolver.class);
  }
}
