package dev.olympus.edge.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Seed 003's {@code sync_status}: where the config cache stands against the cloud. */
public enum SyncStatus {
  /** The last sync succeeded. */
  SYNCED,
  /** A sync is running. */
  SYNCING,
  /**
   * Syncs keep failing (retries exhausted, or a sync could not be applied); the old config serves.
   */
  ERROR;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a stored status; an unknown or missing one reads as {@code synced} (the default). */
  static SyncStatus parse(String s) {
    if (s == null) {
      return SYNCED;
    }
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return SYNCED;
    }
  }
}
