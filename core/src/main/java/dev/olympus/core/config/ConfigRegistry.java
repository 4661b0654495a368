package dev.olympus.core.config;

import static dev.olympus.core.config.ConfigPriority.HIGH;
import static dev.olympus.core.config.ConfigPriority.LOW;
import static dev.olympus.core.config.ConfigPriority.MEDIUM;
import static dev.olympus.core.config.ConfigScope.ENTERPRISE;
import static dev.olympus.core.config.ConfigScope.ENTERPRISE_OR_PROPERTY;
import static dev.olympus.core.config.ConfigScope.PROPERTY;
import static dev.olympus.core.config.FieldKind.ARRAY;
import static dev.olympus.core.config.FieldKind.BCRYPT_HASH;
import static dev.olympus.core.config.FieldKind.BOOLEAN;
import static dev.olympus.core.config.FieldKind.DECIMAL;
import static dev.olympus.core.config.FieldKind.INTEGER;
import static dev.olympus.core.config.FieldKind.NUMBER;
import static dev.olympus.core.config.FieldKind.OBJECT;
import static dev.olympus.core.config.FieldKind.STRING;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every config entity type of seed 003, described once: the cloud validates, stores and serves from
 * this, the edge applies and caches from it, and docs/config-sync.md is checked against it. Order
 * is seed 003's payload order (tier by tier).
 */
public final class ConfigRegistry {
  /** The field naming an entity's property. */
  public static final String PROPERTY_ID = "property_id";

  /** The field naming an entity's enterprise (the tenant). */
  public static final String ENTERPRISE_ID = "enterprise_id";

  /** The most versions a delta may span; past it the host must full-sync (seed 003). */
  public static final int MAX_DELTA_GAP = 100;

  /**
   * Field names that never leave the cloud on any type, declared or not: a credential stored under
   * one of these names by mistake is still not synced.
   */
  public static final Set<String> NEVER_SYNCED_FIELDS =
      Set.of(
          "pin",
          "api_key",
          "secret_key",
          "secret",
          "password",
          "access_token",
          "auth_token",
          "webhook_secret",
          "merchant_secret");

  private static final List<EntityType> TYPES = build();
  private static final Map<String, EntityType> BY_TABLE = index(TYPES);

  private ConfigRegistry() {}

  /** All types, synced or not, in payload order. */
  public static List<EntityType> all() {
    return TYPES;
  }

  /** The types hosts receive, in payload order. */
  public static List<EntityType> synced() {
    return TYPES.stream().filter(EntityType::synced).toList();
  }

  public static Optional<EntityType> find(String table) {
    return Optional.ofNullable(BY_TABLE.get(table));
  }

  /**
   * The type of {@code table}.
   *
   * @throws IllegalArgumentException naming the table when it is not a config entity type
   */
  public static EntityType require(String table) {
    EntityType type = BY_TABLE.get(table);
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown config entity type '" + table + "': expected one of " + BY_TABLE.keySet());
    }
    return type;
  }

  private static Map<String, EntityType> index(List<EntityType> types) {
    Map<String, EntityType> byTable = new LinkedHashMap<>();
    for (EntityType t : types) {
      if (byTable.put(t.table(), t) != null) {
        throw new IllegalStateException("config entity type declared twice: " + t.table());
      }
    }
    return Map.copyOf(byTable);
  }

  private static List<EntityType> build() {
    List<EntityType> t = new ArrayList<>();
    // Tier 1: core
    t.add(
        type("enterprises", "enterprise", ENTERPRISE, 1, HIGH)
            .required("name", STRING)
            .optional("settings", OBJECT)
            .build());
    t.add(
        type("properties", "property", PROPERTY, 1, HIGH)
            .required("name", STRING)
            .optional("timezone", STRING)
            .optional("business_date", STRING)
            .optional("currency", STRING)
            .optional("address", STRING)
            .optional("features", OBJECT)
            .build());
    t.add(
        type("rvcs", "revenueCenters", PROPERTY, 1, HIGH)
            .required("name", STRING)
            .optional("order_types", ARRAY)
            .optional("dom_mode", STRING)
            .build());
    t.add(
        type("employees", "employees", PROPERTY, 1, HIGH)
            .required("first_name", STRING)
            .required("last_name", STRING)
            .ref("role_id", "roles")
            .writeOnly("pin")
            .optionalRef("job_code_id", "job_codes")
            .oneOf("status", false, "active", "terminated")
            .optional("phone", STRING)
            .optional("email", STRING)
            .build());
    t.add(
        type("roles", "roles", PROPERTY, 1, HIGH)
            .required("name", STRING)
            .refs("privileges", "privileges")
            .optional("receives_alerts", BOOLEAN)
            .build());
    // Privilege ids are their codes (void_item, open_drawer), chosen by the client.
    t.add(
        type("privileges", "privileges", ENTERPRISE, 1, HIGH)
            .required("name", STRING)
            .optional("description", STRING)
            .build());
    t.add(
        type("job_codes", "jobCodes", PROPERTY, 1, MEDIUM)
            .required("name", STRING)
            .optional("hourly_rate", DECIMAL)
            .build());
    // Tier 2: menu
    t.add(
        type("slus", "slus", PROPERTY, 2, HIGH)
            .required("name", STRING)
            .optional("display_order", INTEGER)
            .build());
    t.add(
        type("menu_items", "menuItems", PROPERTY, 2, HIGH)
            .required("name", STRING)
            .required("price", DECIMAL)
            .ref("slu_id", "slus")
            .ref("tax_group_id", "tax_groups")
            .optionalRef("print_class_id", "print_classes")
            .optional("active", BOOLEAN)
            .build());
    t.add(
        type("modifier_groups", "modifierGroups", PROPERTY, 2, HIGH)
            .required("name", STRING)
            .optional("min_select", INTEGER)
            .optional("max_select", INTEGER)
            .build());
    t.add(
        type("modifiers", "modifiers", PROPERTY, 2, HIGH)
            .required("name", STRING)
            .required("price", DECIMAL)
            .build());
    t.add(
        type("modifier_group_modifiers", "modifierGroupModifiers", PROPERTY, 2, HIGH)
            .ref("modifier_group_id", "modifier_groups")
            .ref("modifier_id", "modifiers")
            .optional("display_order", INTEGER)
            .build());
    t.add(
        type("menu_item_modifier_groups", "menuItemModifierGroups", PROPERTY, 2, HIGH)
            .ref("menu_item_id", "menu_items")
            .ref("modifier_group_id", "modifier_groups")
            .optional("display_order", INTEGER)
            .build());
    // Tier 3: financial
    t.add(
        type("tax_groups", "taxGroups", PROPERTY, 3, HIGH)
            .required("name", STRING)
            .required("rate", DECIMAL)
            .optional("inclusive", BOOLEAN)
            .build());
    // Payment credentials stay in the cloud: a tender names its processor config by id.
    t.add(
        type("tenders", "tenders", PROPERTY, 3, HIGH)
            .required("name", STRING)
            .oneOf("type", true, "cash", "card", "gift_card", "check", "house_account", "other")
            .optional("processor_id", STRING)
            .secret("api_key")
            .secret("secret_key")
            .secret("merchant_secret")
            .build());
    t.add(
        type("discounts", "discounts", PROPERTY, 3, MEDIUM)
            .required("name", STRING)
            .oneOf("type", true, "percent", "amount")
            .required("value", DECIMAL)
            .build());
    t.add(
        type("service_charges", "serviceCharges", PROPERTY, 3, MEDIUM)
            .required("name", STRING)
            .oneOf("type", true, "percent", "amount")
            .required("value", DECIMAL)
            .optional("auto_apply", BOOLEAN)
            .build());
    // Tier 4: devices
    t.add(
        type("workstations", "workstations", PROPERTY, 4, HIGH)
            .required("name", STRING)
            .ref("rvc_id", "rvcs")
            .optional("ip_address", STRING)
            .build());
    t.add(
        type("printers", "printers", PROPERTY, 4, HIGH)
            .required("name", STRING)
            .optional("ip_address", STRING)
            .optional("model", STRING)
            .build());
    t.add(
        type("kds_devices", "kdsDevices", PROPERTY, 4, HIGH)
            .required("name", STRING)
            .optional("ip_address", STRING)
            .build());
    t.add(
        type("print_classes", "printClasses", PROPERTY, 4, MEDIUM)
            .required("name", STRING)
            .build());
    t.add(
        type("order_devices", "orderDevices", PROPERTY, 4, MEDIUM)
            .required("name", STRING)
            .build());
    t.add(
        type("print_class_routing", "printClassRouting", PROPERTY, 4, MEDIUM)
            .ref("print_class_id", "print_classes")
            .ref("rvc_id", "rvcs")
            .ref("order_device_id", "order_devices")
            .build());
    t.add(
        type("order_device_printers", "orderDevicePrinters", PROPERTY, 4, MEDIUM)
            .ref("order_device_id", "order_devices")
            .ref("printer_id", "printers")
            .build());
    t.add(
        type("order_device_kds", "orderDeviceKds", PROPERTY, 4, MEDIUM)
            .ref("order_device_id", "order_devices")
            .ref("kds_device_id", "kds_devices")
            .build());
    // Tier 5: service hosts
    t.add(
        type("service_hosts", "serviceHosts", PROPERTY, 5, HIGH)
            .required("name", STRING)
            .optional("device_id", STRING)
            .optional("services", ARRAY)
            .secret("auth_token")
            .build());
    t.add(
        type("workstation_service_bindings", "workstationServiceBindings", PROPERTY, 5, HIGH)
            .ref("workstation_id", "workstations")
            .ref("service_host_id", "service_hosts")
            .oneOf("service", true, "caps", "print", "kds", "payment")
            .build());
    // Heartbeat metrics: cloud-side monitoring, written by heartbeats, never synced.
    t.add(type("service_host_metrics", null, PROPERTY, 5, LOW).build());
    // IoT: the cloud's device registry, synced so the edge's broker authenticates sensors offline
    // (only the bcrypt hash of a device's MQTT password is ever stored).
    t.add(
        type("iot_devices", "iotDevices", PROPERTY, 5, HIGH)
            .required("device_id", STRING)
            .oneOf(
                "device_type",
                true,
                "temperature",
                "humidity",
                "energy",
                "door",
                "cooler",
                "oven",
                "hvac")
            .required("name", STRING)
            .optional("target_min", NUMBER)
            .optional("target_max", NUMBER)
            .optional("unit", STRING)
            .optional("mqtt_password_hash", BCRYPT_HASH)
            .build());
    t.add(
        type("notification_contacts", "notificationContacts", PROPERTY, 5, HIGH)
            .required("name", STRING)
            .optional("phone", STRING)
            .optional("email", STRING)
            .optional("channels", ARRAY)
            .optional("receives", ARRAY)
            .build());
    // Tier 6: extended features, synced only when the property's feature flag is on.
    t.add(
        type("gift_cards", "giftCards", ENTERPRISE_OR_PROPERTY, 6, MEDIUM)
            .feature("gift_cards")
            .required("code", STRING)
            .required("balance", DECIMAL)
            .optional("active", BOOLEAN)
            .build());
    t.add(
        type("loyalty_programs", "loyaltyPrograms", ENTERPRISE, 6, MEDIUM)
            .feature("loyalty")
            .required("name", STRING)
            .optional("points_per_unit", DECIMAL)
            .build());
    t.add(
        type("loyalty_members", "loyaltyEnrollments", ENTERPRISE, 6, LOW)
            .feature("loyalty")
            .ref("program_id", "loyalty_programs")
            .required("first_name", STRING)
            .required("last_name", STRING)
            .optional("phone", STRING)
            .optional("email", STRING)
            .optional("points", INTEGER)
            .build());
    t.add(
        type("schedules", "schedules", PROPERTY, 6, LOW)
            .feature("scheduling")
            .required("week_start", STRING)
            .optional("published", BOOLEAN)
            .build());
    t.add(
        type("shifts", "shifts", PROPERTY, 6, LOW)
            .feature("scheduling")
            .ref("employee_id", "employees")
            .required("starts_at", STRING)
            .required("ends_at", STRING)
            .optionalRef("schedule_id", "schedules")
            .optionalRef("job_code_id", "job_codes")
            .build());
    return List.copyOf(t);
  }

  private static Builder type(
      String table, String payloadKey, ConfigScope scope, int tier, ConfigPriority priority) {
    return new Builder(table, payloadKey, scope, tier, priority);
  }

  /** Keeps the thirty-odd declarations above one line per field. */
  private static final class Builder {
    private final String table;
    private final String payloadKey;
    private final ConfigScope scope;
    private final int tier;
    private final ConfigPriority priority;
    private final List<FieldSpec> fields = new ArrayList<>();
    private String feature;

    Builder(String table, String payloadKey, ConfigScope scope, int tier, ConfigPriority priority) {
      this.table = table;
      this.payloadKey = payloadKey;
      this.scope = scope;
      this.tier = tier;
      this.priority = priority;
    }

    Builder feature(String flag) {
      feature = flag;
      return this;
    }

    Builder required(String name, FieldKind kind) {
      return add(new FieldSpec(name, kind, true, null, List.of(), false, false));
    }

    Builder optional(String name, FieldKind kind) {
      return add(new FieldSpec(name, kind, false, null, List.of(), false, false));
    }

    Builder ref(String name, String target) {
      return add(new FieldSpec(name, STRING, true, target, List.of(), false, false));
    }

    Builder optionalRef(String name, String target) {
      return add(new FieldSpec(name, STRING, false, target, List.of(), false, false));
    }

    Builder refs(String name, String target) {
      return add(new FieldSpec(name, ARRAY, true, target, List.of(), false, false));
    }

    Builder oneOf(String name, boolean required, String... values) {
      return add(new FieldSpec(name, STRING, required, null, List.of(values), false, false));
    }

    Builder writeOnly(String name) {
      return add(new FieldSpec(name, STRING, true, null, List.of(), true, false));
    }

    Builder secret(String name) {
      return add(new FieldSpec(name, STRING, false, null, List.of(), false, true));
    }

    private Builder add(FieldSpec field) {
      fields.add(field);
      return this;
    }

    EntityType build() {
      return new EntityType(table, payloadKey, scope, tier, priority, feature, fields);
    }
  }
}
