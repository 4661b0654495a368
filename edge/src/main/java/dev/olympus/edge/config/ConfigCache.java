package dev.olympus.edge.config;

import dev.olympus.edge.store.Json;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Read access to the property's configuration as last synced from the cloud: any entity type by its
 * seed 003 table name ({@code menu_items}, {@code modifiers}, {@code tax_groups}, {@code tenders},
 * …), the enterprise and the property. Reads the encrypted local database, so it answers the same
 * while the internet is down. One sync is applied in one transaction, so a reader sees the config
 * before or after a sync, never half of one.
 */
public final class ConfigCache {
  /** The entity type the enterprise row is stored under. */
  public static final String ENTERPRISE = "enterprises";

  /** The entity type the property row is stored under. */
  public static final String PROPERTY = "properties";

  private static final java.util.regex.Pattern FIELD =
      java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final Jdbi jdbi;

  public ConfigCache(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The entity {@code type/id}; empty when the cache has no such entity. */
  public Optional<ConfigEntity> find(String type, String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT data FROM config_entities WHERE entity_type = :type AND entity_id = :id")
                .bind("type", type)
                .bind("id", id)
                .mapTo(String.class)
                .findOne()
                .map(json -> new ConfigEntity(type, id, Json.readObject(json))));
  }

  /** Every entity of {@code type}, by id. */
  public List<ConfigEntity> list(String type) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT entity_id, data FROM config_entities WHERE entity_type = :type"
                        + " ORDER BY entity_id")
                .bind("type", type)
                .map(
                    (rs, ctx) ->
                        new ConfigEntity(type, rs.getString(1), Json.readObject(rs.getString(2))))
                .list());
  }

  /**
   * The entities of {@code type} whose {@code field} is {@code value}, by id: the links of one menu
   * item ({@code list("menu_item_modifier_groups", "menu_item_id", id)}), the employees of a role.
   */
  public List<ConfigEntity> listBy(String type, String field, String value) {
    if (!FIELD.matcher(field).matches()) {
      throw new IllegalArgumentException(
          "field '" + field + "' is not a config field name (lower-case letters, digits, _)");
    }
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT entity_id, data FROM config_entities WHERE entity_type = :type"
                        + " AND json_extract(data, :path) = :value ORDER BY entity_id")
                .bind("type", type)
                .bind("path", "$." + field)
                .bind("value", value)
                .map(
                    (rs, ctx) ->
                        new ConfigEntity(type, rs.getString(1), Json.readObject(rs.getString(2))))
                .list());
  }

  /** How many entities of {@code type} the cache holds. */
  public long count(String type) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM config_entities WHERE entity_type = :type")
                .bind("type", type)
                .mapTo(Long.class)
                .one());
  }

  /** The enterprise (brand) this property belongs to; empty before the first sync. */
  public Optional<ConfigEntity> enterprise() {
    return single(ENTERPRISE);
  }

  /** This edge's property; empty before the first sync. */
  public Optional<ConfigEntity> property() {
    return single(PROPERTY);
  }

  private Optional<ConfigEntity> single(String type) {
    List<ConfigEntity> all = list(type);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** The version tracker; empty before the first successful sync. */
  public Optional<ConfigSyncState> state() {
    return jdbi.withHandle(ConfigSyncState::read);
  }

  Jdbi jdbi() {
    return jdbi;
  }

  /** The config version the cache holds, 0 before the first sync. */
  public long version() {
    return state().map(ConfigSyncState::version).orElse(0L);
  }
}
