package dev.olympus.edge.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Where the config cache stands, for {@code GET /api/v1/config/status} and {@code edge status}.
 *
 * @param propertyId the edge's property
 * @param version the config version the cache holds, 0 before the first sync
 * @param cloudVersion the property's latest version as the cloud last said, null when unknown
 * @param lastSyncAt when the cache was last confirmed current, null before the first sync
 * @param lastFullSyncAt when the last full sync succeeded, null before the first
 * @param syncStatus {@code synced}, {@code syncing} or {@code error}
 * @param consecutiveFailures failed sync attempts in a row
 * @param lastError the last failure, null after a success
 */
public record ConfigStatus(
    @JsonProperty("property_id") String propertyId,
    @JsonProperty("version") long version,
    @JsonProperty("cloud_version") Long cloudVersion,
    @JsonIgnore Instant lastSyncAt,
    @JsonIgnore Instant lastFullSyncAt,
    @JsonProperty("sync_status") SyncStatus syncStatus,
    @JsonProperty("consecutive_failures") long consecutiveFailures,
    @JsonProperty("last_error") String lastError) {

  @JsonProperty("last_sync_at")
  String lastSyncAtText() {
    return lastSyncAt == null ? null : lastSyncAt.toString();
  }

  @JsonProperty("last_full_sync_at")
  String lastFullSyncAtText() {
    return lastFullSyncAt == null ? null : lastFullSyncAt.toString();
  }

  /**
   * The status as stored, for tools that read the database of a stopped edge; {@code never synced}
   * (version 0, status error-free) before the first sync.
   */
  public static ConfigStatus read(Jdbi jdbi, String propertyId) {
    Optional<ConfigSyncState> s = jdbi.withHandle(ConfigSyncState::read);
    return s.map(
            st ->
                new ConfigStatus(
                    st.propertyId(),
                    st.version(),
                    null,
                    st.lastSyncAt(),
                    st.lastFullSyncAt(),
                    st.status(),
                    0,
                    null))
        .orElseGet(
            () -> new ConfigStatus(propertyId, 0, null, null, null, SyncStatus.SYNCING, 0, null));
  }
}
