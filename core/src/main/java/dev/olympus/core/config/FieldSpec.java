package dev.olympus.core.config;

import java.util.List;
import java.util.Objects;

/**
 * One field of a config entity type.
 *
 * @param name the snake_case field name in the entity's data
 * @param kind the JSON kind the value must have
 * @param required whether a write must carry it (write-only fields only when creating: a replace
 *     that leaves the PIN out keeps the stored hash)
 * @param references the table (entity type) the value points at by id, or null. For an {@link
 *     FieldKind#ARRAY} field every element is such an id.
 * @param allowedValues the only values a string field may take, or empty for any
 * @param writeOnly accepted on write but stored and synced only as a bcrypt hash under {@link
 *     #storedName()} (employee PINs)
 * @param secret kept in the cloud, never in a sync payload (payment processor keys): a host refers
 *     to the secret by the entity's id only
 */
public record FieldSpec(
    String name,
    FieldKind kind,
    boolean required,
    String references,
    List<String> allowedValues,
    boolean writeOnly,
    boolean secret) {
  public FieldSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    allowedValues = allowedValues == null ? List.of() : List.copyOf(allowedValues);
    if (writeOnly && secret) {
      throw new IllegalArgumentException(name + ": a field is write-only or secret, not both");
    }
  }

  /** The name the value is stored and synced under: {@code pin} is kept as {@code pin_hash}. */
  public String storedName() {
    return writeOnly ? name + "_hash" : name;
  }

  public boolean isReference() {
    return references != null;
  }
}
