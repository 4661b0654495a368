package dev.olympus.edge.config;

import java.util.Locale;

/** The two ways the config cache catches up with the cloud. */
public enum SyncKind {
  /** The changes since the cache's version, applied on top of it. */
  DELTA,
  /** The whole config, replacing the cache. */
  FULL;

  /** {@code delta} or {@code full}, as logs and metrics name it. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
