package dev.olympus.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * Seed 003's delta answer, plus the refusal: when the host is too far behind ({@code toVersion -
 * fromVersion} over {@link ConfigRegistry#MAX_DELTA_GAP}) or below the compaction horizon, the
 * cloud answers {@code fullSyncRequired: true} with a {@code reason} and no changes, and the host
 * must fetch {@code /api/sync/config/full}.
 *
 * @param fromVersion the host's version ({@code since})
 * @param toVersion the property's current version; the host is at it after applying
 * @param timestamp ISO-8601 instant the answer was made
 * @param propertyId the property
 * @param changes the latest op per entity changed after {@code fromVersion}, by version
 * @param fullSyncRequired true when the host must full-sync instead
 * @param reason why a full sync is required ({@link DeltaPlan}), null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeltaSyncPayload(
    @JsonProperty("fromVersion") long fromVersion,
    @JsonProperty("toVersion") long toVersion,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("propertyId") String propertyId,
    @JsonProperty("changes") List<ConfigChange> changes,
    @JsonProperty("fullSyncRequired") boolean fullSyncRequired,
    @JsonProperty("reason") String reason) {
  public DeltaSyncPayload {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(propertyId, "propertyId");
    changes = changes == null ? List.of() : List.copyOf(changes);
    if (fullSyncRequired && !changes.isEmpty()) {
      throw new IllegalArgumentException("a full-sync-required answer carries no changes");
    }
  }

  /** A delta the host applies in one transaction. */
  public static DeltaSyncPayload delta(
      long fromVersion,
      long toVersion,
      String timestamp,
      String propertyId,
      List<ConfigChange> changes) {
    return new DeltaSyncPayload(
        fromVersion, toVersion, timestamp, propertyId, changes, false, null);
  }

  /** The answer telling the host to full-sync, and why. */
  public static DeltaSyncPayload fullSyncRequired(
      long fromVersion, long toVersion, String timestamp, String propertyId, String reason) {
    Objects.requireNonNull(reason, "reason");
    return new DeltaSyncPayload(
        fromVersion, toVersion, timestamp, propertyId, List.of(), true, reason);
  }
}
