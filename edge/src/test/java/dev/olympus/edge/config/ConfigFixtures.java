package dev.olympus.edge.config;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.olympus.core.config.ConfigChange;
import dev.olympus.core.config.ConfigOperation;
import dev.olympus.core.config.DeltaSyncPayload;
import dev.olympus.core.config.FullSyncPayload;
import dev.olympus.edge.EdgeServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Config payloads for edge tests, and a way to load one into an edge without a cloud. */
public final class ConfigFixtures {
  public static final String PROPERTY = "loc-1";
  public static final String PIN = "4821";

  /** bcrypt cost 4: fast in tests, and any cost verifies the same way. */
  public static final String PIN_HASH = BCrypt.withDefaults().hashToString(4, PIN.toCharArray());

  private ConfigFixtures() {}

  /** A small property: one role with two privileges, an active and a terminated employee, menu. */
  public static FullSyncPayload payload(long version) {
    Map<String, List<Map<String, Object>>> entities = new LinkedHashMap<>();
    entities.put(
        "roles",
        List.of(
            Map.of(
                "id",
                "role-mgr",
                "name",
                "Manager",
                "privileges",
                List.of("void_item", "open_drawer"))));
    entities.put(
        "employees",
        List.of(
            employee("emp-1", "Ada", "Lovelace", "active"),
            employee("emp-2", "Charles", "Babbage", "terminated")));
    entities.put(
        "menu_items",
        List.of(
            Map.of("id", "mi-1", "name", "Burger", "price", "9.50", "slu_id", "slu-1"),
            Map.of("id", "mi-2", "name", "Fries", "price", "3.00", "slu_id", "slu-1")));
    entities.put("tenders", List.of(Map.of("id", "t-cash", "name", "Cash", "type", "cash")));
    return new FullSyncPayload(
        version,
        Instant.parse("2026-11-22T00:00:00Z").toString(),
        PROPERTY,
        Map.of("id", "t1", "name", "Olympus Burgers"),
        Map.of("id", PROPERTY, "name", "Downtown"),
        entities);
  }

  public static Map<String, Object> employee(String id, String first, String last, String status) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("id", id);
    e.put("first_name", first);
    e.put("last_name", last);
    e.put("role_id", "role-mgr");
    e.put("status", status);
    e.put("pin_hash", PIN_HASH);
    return e;
  }

  public static ConfigChange upsert(String type, String id, Map<String, Object> data) {
    Map<String, Object> withId = new LinkedHashMap<>(data);
    withId.putIfAbsent("id", id);
    return new ConfigChange(
        UUID.randomUUID().toString(),
        0,
        type,
        id,
        ConfigOperation.UPDATE,
        withId,
        "2026-11-22T00:00:00Z",
        null);
  }

  public static ConfigChange delete(String type, String id) {
    return new ConfigChange(
        UUID.randomUUID().toString(),
        0,
        type,
        id,
        ConfigOperation.DELETE,
        null,
        "2026-11-22T00:00:00Z",
        null);
  }

  public static DeltaSyncPayload delta(long from, long to, ConfigChange... changes) {
    return DeltaSyncPayload.delta(
        from, to, "2026-11-22T00:00:00Z", PROPERTY, new ArrayList<>(List.of(changes)));
  }

  /** Loads {@code p} into a running edge's cache, as a full sync from the cloud would. */
  public static void load(EdgeServer edge, FullSyncPayload p) {
    applier(edge).applyFull(p);
  }

  /** Overwrites the cache's version, as a cache restored from elsewhere would have it. */
  public static void pretendVersion(EdgeServer edge, long version) {
    jdbi(edge).useHandle(h -> h.execute("UPDATE sync_state SET last_sync_version = ?", version));
  }

  static ConfigApplier applier(EdgeServer edge) {
    return new ConfigApplier(jdbi(edge), edge.settings().locationId(), edge.settings().clock());
  }

  static Jdbi jdbi(EdgeServer edge) {
    return edge.configSyncer().cache().jdbi();
  }
}
