package dev.olympus.edge.tables;

import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The floor's tables as records of {@code tables}: a status change keeps the table's other fields
 * (seats, section) and is seen by every device on the LAN as a {@code table_update}.
 */
public final class TableStatuses {
  /** The collection tables are stored in. */
  public static final String COLLECTION = "tables";

  public static final Set<String> STATUSES =
      Set.of("occupied", "available", "reserved", "cleaning");

  private final RecordStore records;
  private final Clock clock;

  public TableStatuses(RecordStore records, Clock clock) {
    this.records = records;
    this.clock = clock;
  }

  /** Sets a table's status, creating the table's record on first use. */
  public LocalRecord set(String tableId, String status, String employeeId) {
    return records.inTransaction(
        tx -> {
          Map<String, Object> data = new LinkedHashMap<>();
          tx.find(COLLECTION, tableId)
              .filter(r -> !r.deleted())
              .ifPresent(r -> data.putAll(r.data()));
          data.put("status", status);
          data.put("status_changed_at", clock.instant().toString());
          if (employeeId != null) {
            data.put("status_changed_by", employeeId);
          }
          return tx.put(COLLECTION, tableId, data);
        });
  }
}
