package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A committed change as the cloud's change feed serves it: the record's new state and the
 * tenant-wide sequence number it was committed under.
 *
 * @param seq the per-tenant sequence number; a reader that has seen {@code seq} has seen every
 *     change before it
 * @param locationId the location the record belongs to, or null for an enterprise-wide record
 * @param record the record after the change
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Change(
    @JsonProperty("seq") long seq,
    @JsonProperty("location_id") String locationId,
    @JsonProperty("record") RecordState record) {
  public Change {
    Objects.requireNonNull(record, "record");
  }
}
