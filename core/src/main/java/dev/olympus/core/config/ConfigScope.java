package dev.olympus.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a config entity lives, which decides whose config version a change of it bumps.
 *
 * <p>There is no global scope: seed 003 calls privileges global, but here every tenant defines its
 * own privileges (decision 010), so one tenant's edit never moves another tenant's versions.
 */
public enum ConfigScope {
  /** One per enterprise or shared by all its properties: a change bumps every property. */
  ENTERPRISE,
  /** Belongs to one property: a change bumps that property only. */
  PROPERTY,
  /** Has an enterprise and optionally a property (gift cards): bumps one property or all. */
  ENTERPRISE_OR_PROPERTY;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ConfigScope parse(String name) {
    for (ConfigScope s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scope '" + name + "': expected enterprise, property or enterprise_or_property");
  }
}
