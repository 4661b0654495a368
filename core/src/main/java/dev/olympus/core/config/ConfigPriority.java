package dev.olympus.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Seed 003's sync priority of a config entity type: which tables a host loads first. */
public enum ConfigPriority {
  HIGH,
  MEDIUM,
  LOW;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ConfigPriority parse(String name) {
    for (ConfigPriority p : values()) {
      if (p.wireName().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown config priority '" + name + "': expected high, medium or low");
  }
}
