package dev.olympus.core.config;

import java.util.Objects;

/**
 * What a delta request from a host at {@code since} gets, decided from the property's current
 * version and compaction horizon.
 *
 * @param verdict send a delta, require a full sync, or refuse a host ahead of the cloud
 * @param reason why a full sync is required ({@code version_gap_too_large}, {@code
 *     below_compaction_horizon}) or the host is refused ({@code version_ahead_of_cloud}); null for
 *     a delta
 */
public record DeltaPlan(Verdict verdict, String reason) {
  public static final String GAP_TOO_LARGE = "version_gap_too_large";
  public static final String BELOW_HORIZON = "below_compaction_horizon";
  public static final String AHEAD_OF_CLOUD = "version_ahead_of_cloud";

  /** The three answers. */
  public enum Verdict {
    DELTA,
    FULL_SYNC_REQUIRED,
    /** The host claims a version the cloud never issued: its cache is not ours; full-sync. */
    AHEAD_OF_CLOUD
  }

  public DeltaPlan {
    Objects.requireNonNull(verdict, "verdict");
  }

  /**
   * Decides for a host at {@code since}.
   *
   * @param current the property's current version
   * @param horizon the version up to which the log was compacted (0 when never)
   */
  public static DeltaPlan decide(long since, long current, long horizon) {
    if (since > current) {
      return new DeltaPlan(Verdict.AHEAD_OF_CLOUD, AHEAD_OF_CLOUD);
    }
    if (since < horizon) {
      return new DeltaPlan(Verdict.FULL_SYNC_REQUIRED, BELOW_HORIZON);
    }
    if (current - since > ConfigRegistry.MAX_DELTA_GAP) {
      return new DeltaPlan(Verdict.FULL_SYNC_REQUIRED, GAP_TOO_LARGE);
    }
    return new DeltaPlan(Verdict.DELTA, null);
  }
}
