package dev.olympus.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which config changes cannot wait for the next heartbeat: anything that takes a permission away. A
 * terminated employee must not ring up one more sale, so the cloud pushes {@code config:urgent} at
 * once instead of the debounced {@code config:updated}.
 */
public final class UrgentChanges {
  public static final String EMPLOYEE_TERMINATED = "employee_terminated";
  public static final String EMPLOYEE_PIN_CHANGED = "employee_pin_changed";
  public static final String EMPLOYEE_ROLE_CHANGED = "employee_role_changed";
  public static final String ROLE_PRIVILEGES_CHANGED = "role_privileges_changed";

  private UrgentChanges() {}

  /**
   * Why {@code change} is urgent, or empty when it can wait.
   *
   * @param before the entity's stored data before the change (with {@code pin_hash}), or null for
   *     an insert
   * @param after the entity's stored data after it, or null for a delete
   */
  public static Optional<String> reason(
      String entityType, Map<String, ?> before, Map<String, ?> after) {
    if ("employees".equals(entityType)) {
      if (before == null) {
        return Optional.empty();
      }
      if (after == null
          || ("terminated".equals(after.get("status"))
              && !"terminated".equals(before.get("status")))) {
        return Optional.of(EMPLOYEE_TERMINATED);
      }
      if (!Objects.equals(before.get("pin_hash"), after.get("pin_hash"))) {
        return Optional.of(EMPLOYEE_PIN_CHANGED);
      }
      if (!Objects.equals(before.get("role_id"), after.get("role_id"))) {
        return Optional.of(EMPLOYEE_ROLE_CHANGED);
      }
      return Optional.empty();
    }
    if ("roles".equals(entityType) && before != null) {
      if (after == null || !Objects.equals(before.get("privileges"), after.get("privileges"))) {
        return Optional.of(ROLE_PRIVILEGES_CHANGED);
      }
    }
    return Optional.empty();
  }
}
