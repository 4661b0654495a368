package dev.olympus.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One config entity type as seed 003 describes it, written once in {@link ConfigRegistry}.
 *
 * @param table the table name, which is also the {@code entityType} of its changes
 * @param payloadKey the camelCase key of its array in a {@link FullSyncPayload}, or null when the
 *     type is not synced (cloud-side monitoring)
 * @param scope whose config version a change bumps
 * @param tier seed 003's tier, 1 (core) to 6 (extended features)
 * @param priority seed 003's sync priority
 * @param featureFlag for tier 6: the property feature flag that must be true for the type to be
 *     synced ({@code gift_cards}, {@code loyalty}, {@code scheduling}); null for the others
 * @param fields the declared fields. Other fields are accepted and stored as sent.
 */
public record EntityType(
    String table,
    String payloadKey,
    ConfigScope scope,
    int tier,
    ConfigPriority priority,
    String featureFlag,
    List<FieldSpec> fields) {
  public EntityType {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(priority, "priority");
    if (tier < 1 || tier > 6) {
      throw new IllegalArgumentException(table + ": tier must be 1 to 6, was " + tier);
    }
    fields = List.copyOf(fields);
  }

  /** Whether hosts receive this type at all. */
  public boolean synced() {
    return payloadKey != null;
  }

  /**
   * Whether a property with {@code propertyData} receives this type: always for tiers 1–5, for tier
   * 6 only when {@code features.<featureFlag>} is {@code true}.
   */
  public boolean enabledFor(Map<String, ?> propertyData) {
    if (featureFlag == null) {
      return true;
    }
    return propertyData != null
        && propertyData.get("features") instanceof Map<?, ?> features
        && Boolean.TRUE.equals(features.get(featureFlag));
  }

  public Optional<FieldSpec> field(String name) {
    for (FieldSpec f : fields) {
      if (f.name().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The fields that point at other entities. */
  public List<FieldSpec> references() {
    return fields.stream().filter(FieldSpec::isReference).toList();
  }

  /**
   * Everything wrong with {@code data} as this type's entity, first problem first; empty when it is
   * valid. Unknown fields pass; the scope columns ({@code property_id}, {@code enterprise_id}) are
   * the caller's to check.
   *
   * @param creating whether the entity is new; required write-only fields may be left out of a
   *     replace, which keeps the stored hash
   */
  public List<FieldProblem> validate(Map<String, ?> data, boolean creating) {
    List<FieldProblem> problems = new ArrayList<>();
    for (FieldSpec f : fields) {
      Object value = data.get(f.name());
      if (value == null) {
        if (f.required() && (creating || !f.writeOnly())) {
          problems.add(
              new FieldProblem(
                  f.name(),
                  "missing_field",
                  table
                      + "."
                      + f.name()
                      + " is required: send it as "
                      + f.kind().description()
                      + (f.isReference() ? " (the id of one of " + f.references() + ")" : "")));
        }
        continue;
      }
      if (!f.kind().accepts(value)) {
        problems.add(
            new FieldProblem(
                f.name(),
                "invalid_field",
                table
                    + "."
                    + f.name()
                    + " must be "
                    + f.kind().description()
                    + ", was "
                    + FieldKind.describe(value)
                    + (value instanceof String s ? " '" + abbreviate(s) + "'" : "")));
        continue;
      }
      if (!f.allowedValues().isEmpty() && !f.allowedValues().contains(value)) {
        problems.add(
            new FieldProblem(
                f.name(),
                "invalid_field",
                table
                    + "."
                    + f.name()
                    + " must be one of "
                    + String.join(", ", f.allowedValues())
                    + ", was '"
                    + abbreviate(String.valueOf(value))
                    + "'"));
      }
      if (f.kind() == FieldKind.ARRAY && f.isReference()) {
        for (Object element : (List<?>) value) {
          if (!(element instanceof String)) {
            problems.add(
                new FieldProblem(
                    f.name(),
                    "invalid_field",
                    table
                        + "."
                        + f.name()
                        + " must be an array of "
                        + f.references()
                        + " ids (strings), had "
                        + FieldKind.describe(element)));
            break;
          }
        }
      }
    }
    return problems;
  }

  /**
   * The entity as hosts may see it: secret fields, the plaintext of write-only fields and the names
   * in {@link ConfigRegistry#NEVER_SYNCED_FIELDS} left out, whatever the cloud stored.
   */
  public Map<String, Object> wireData(Map<String, ?> stored) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : stored.entrySet()) {
      String name = e.getKey();
      if (ConfigRegistry.NEVER_SYNCED_FIELDS.contains(name)) {
        continue;
      }
      Optional<FieldSpec> spec = field(name);
      if (spec.isPresent() && (spec.get().secret() || spec.get().writeOnly())) {
        continue;
      }
      out.put(name, e.getValue());
    }
    return out;
  }

  private static String abbreviate(String value) {
    return value.length() <= 60 ? value : value.substring(0, 57) + "...";
  }
}
