package dev.olympus.edge.config;

import dev.olympus.core.config.ConfigChange;
import dev.olympus.core.config.ConfigOperation;
import dev.olympus.core.config.DeltaSyncPayload;
import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.edge.store.Json;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The one writer of the config cache: applies a full snapshot or a delta to {@code config_entities}
 * together with the version tracker ({@code sync_state}) in one transaction, so any failure leaves
 * the old config and its version in place and the edge keeps serving them.
 */
final class ConfigApplier {
  /** Entity types are table names; anything else in a change is a broken payload. */
  private static final Pattern ENTITY_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private static final int MAX_ID_LENGTH = 256;

  private final Jdbi jdbi;
  private final String propertyId;
  private final Clock clock;

  /** Told how many rows a sync wrote, before its transaction commits; tests make it throw. */
  private volatile IntConsumer afterRowsWritten = rows -> {};

  ConfigApplier(Jdbi jdbi, String propertyId, Clock clock) {
    this.jdbi = jdbi;
    this.propertyId = propertyId;
    this.clock = clock;
  }

  /**
   * Fault injection: {@code hook} runs inside each sync's transaction once its rows are written.
   */
  void afterRowsWritten(IntConsumer hook) {
    afterRowsWritten = hook;
  }

  /** A delta that does not start where the cache is: the cache must be rebuilt by a full sync. */
  static final class VersionMismatchException extends Exception {
    VersionMismatchException(String message) {
      super(message);
    }
  }

  /** A payload whose content cannot be applied; nothing of it was. */
  static final class ApplyException extends RuntimeException {
    ApplyException(String message) {
      super(message);
    }
  }

  /** Replaces the whole cache with {@code p}; returns the new state. */
  ConfigSyncState applyFull(FullSyncPayload p) {
    checkProperty(p.propertyId());
    // Encoded and sorted before the transaction: the one database connection is held only for
    // the writes, which go in key order (appends to the table's b-tree, the cheapest inserts).
    List<Row> rows = new ArrayList<>(2 + p.entities().values().stream().mapToInt(List::size).sum());
    rows.add(row(ConfigCache.ENTERPRISE, p.enterprise()));
    rows.add(row(ConfigCache.PROPERTY, p.property()));
    for (Map.Entry<String, List<Map<String, Object>>> e : p.entities().entrySet()) {
      String type = checkType(e.getKey());
      for (Map<String, Object> entity : e.getValue()) {
        rows.add(row(type, entity));
      }
    }
    rows.sort(Row.KEY_ORDER);
    Instant now = clock.instant();
    ConfigSyncState next =
        new ConfigSyncState(propertyId, p.version(), now, now, SyncStatus.SYNCED);
    jdbi.useTransaction(
        h -> {
          h.execute("DELETE FROM config_entities");
          // Plain JDBC: at tens of thousands of rows Jdbi's per-binding objects cost more than
          // SQLite's inserts.
          try (PreparedStatement insert =
              h.getConnection()
                  .prepareStatement(
                      "INSERT INTO config_entities (entity_type, entity_id, data) VALUES (?, ?, ?)")) {
            for (Row r : rows) {
              insert.setString(1, r.type());
              insert.setString(2, r.id());
              insert.setString(3, r.json());
              insert.executeUpdate();
            }
          } catch (SQLException e) {
            throw new UnableToExecuteStatementException(
                "cannot store the full config payload: " + e.getMessage(), e, null);
          }
          afterRowsWritten.accept(rows.size());
          ConfigSyncState.write(h, next);
        });
    return next;
  }

  /** One entity as stored. */
  private record Row(String type, String id, String json) {
    static final Comparator<Row> KEY_ORDER = Comparator.comparing(Row::type).thenComparing(Row::id);
  }

  private static Row row(String type, Map<String, Object> entity) {
    if (!(entity.get("id") instanceof String id)) {
      throw new ApplyException("a " + type + " entity of the full payload has no string id");
    }
    return new Row(type, checkId(type, id), Json.write(entity));
  }

  /**
   * Applies {@code d} on top of the cache; returns the new state.
   *
   * @throws VersionMismatchException when the cache is not at {@code d.fromVersion()} (or is
   *     empty): nothing was applied
   * @throws ApplyException when a change cannot be applied: nothing was applied
   */
  ConfigSyncState applyDelta(DeltaSyncPayload d) throws VersionMismatchException {
    checkProperty(d.propertyId());
    if (d.fullSyncRequired()) {
      throw new IllegalArgumentException("a full-sync-required answer has nothing to apply");
    }
    Instant now = clock.instant();
    ConfigSyncState[] result = new ConfigSyncState[1];
    String mismatch =
        jdbi.inTransaction(
            h -> {
              Optional<ConfigSyncState> current = ConfigSyncState.read(h);
              if (current.isEmpty()) {
                return "the cache is empty";
              }
              if (current.get().version() != d.fromVersion()) {
                return "the cache is at version "
                    + current.get().version()
                    + ", the delta starts at "
                    + d.fromVersion();
              }
              applyChanges(h, d.changes());
              ConfigSyncState next =
                  new ConfigSyncState(
                      propertyId,
                      d.toVersion(),
                      now,
                      current.get().lastFullSyncAt(),
                      SyncStatus.SYNCED);
              ConfigSyncState.write(h, next);
              result[0] = next;
              return null;
            });
    if (mismatch != null) {
      throw new VersionMismatchException(mismatch);
    }
    return result[0];
  }

  /** Records that the cache is still current at {@code version} (the cloud said so). */
  void confirmCurrent(long version) {
    jdbi.useTransaction(
        h ->
            ConfigSyncState.read(h)
                .filter(s -> s.version() == version)
                .ifPresent(
                    s ->
                        ConfigSyncState.write(
                            h,
                            new ConfigSyncState(
                                s.propertyId(),
                                s.version(),
                                clock.instant(),
                                s.lastFullSyncAt(),
                                SyncStatus.SYNCED))));
  }

  /** Stores the status alone (there is no row before the first sync: then nothing is stored). */
  void markStatus(SyncStatus status) {
    jdbi.useHandle(h -> ConfigSyncState.writeStatus(h, status));
  }

  private void applyChanges(Handle h, List<ConfigChange> changes) {
    PreparedBatch upserts =
        h.prepareBatch(
            "INSERT INTO config_entities (entity_type, entity_id, data) VALUES (?, ?, ?)"
                + " ON CONFLICT (entity_type, entity_id) DO UPDATE SET data = excluded.data");
    PreparedBatch deletes =
        h.prepareBatch("DELETE FROM config_entities WHERE entity_type = ? AND entity_id = ?");
    // Changes come latest-per-entity (compacted), so an entity appears once and the order of an
    // upsert against a delete of another entity does not matter: both batches run at the end.
    for (ConfigChange c : changes) {
      String type = checkType(c.entityType());
      String id = checkId(c.entityType(), c.entityId());
      if (c.operation() == ConfigOperation.DELETE) {
        deletes.bind(0, type).bind(1, id).add();
      } else {
        Object dataId = c.data().get("id");
        if (dataId != null && !id.equals(dataId)) {
          throw new ApplyException(
              "change "
                  + c.id()
                  + " of "
                  + type
                  + "/"
                  + id
                  + " carries data of another entity (id '"
                  + dataId
                  + "')");
        }
        upserts.bind(0, type).bind(1, id).bind(2, Json.write(c.data())).add();
      }
    }
    int rows = 0;
    if (upserts.size() > 0) {
      rows += upserts.execute().length;
    }
    if (deletes.size() > 0) {
      rows += deletes.execute().length;
    }
    afterRowsWritten.accept(rows);
  }

  private void checkProperty(String payloadProperty) {
    if (!propertyId.equals(payloadProperty)) {
      throw new ApplyException(
          "the cloud sent the config of property '"
              + payloadProperty
              + "' to the edge of property '"
              + propertyId
              + "': check the edge's token and location id");
    }
  }

  private static String checkType(String type) {
    if (!ENTITY_TYPE.matcher(type).matches()) {
      throw new ApplyException("entity type '" + type + "' is not a table name");
    }
    return type;
  }

  private static String checkId(String type, String id) {
    if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new ApplyException(
          type + " id must be 1 to " + MAX_ID_LENGTH + " characters, was '" + id + "'");
    }
    return id;
  }
}
