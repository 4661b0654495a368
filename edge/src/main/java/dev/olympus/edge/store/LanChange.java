package dev.olympus.edge.store;

import dev.olympus.core.realtime.ChangeKind;
import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.RecordState;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of the edge's own stream ({@code edge:<device id>}): a record's latest state, the {@code
 * lan_seq} it was committed under, and the action its writer named it with.
 *
 * @param storedAction the action as the writer stored it ({@link ChangeKind#action()}), or null for
 *     a record stored before the edge numbered its changes
 */
public record LanChange(long seq, LocalRecord record, String storedAction) {
  public LanChange {
    Objects.requireNonNull(record, "record");
  }

  /** The action the writer stored, if it stored one. */
  public Optional<String> action() {
    return Optional.ofNullable(storedAction);
  }

  /**
   * The change's kind: the stored action with the collection's type; without one, named as a
   * creation (or deletion).
   */
  public ChangeKind kind() {
    // The type and data type depend on the collection only.
    ChangeKind plain = ChangeKind.of(record.collection(), null, record.data(), record.deleted());
    return storedAction == null
        ? plain
        : new ChangeKind(plain.type(), plain.dataType(), storedAction);
  }

  /**
   * The change in the feed's wire shape (as the cloud's pull serves it). The location is left out:
   * the edge serves one location and does not tell its own records from enterprise-wide ones.
   */
  public Change toChange() {
    LocalRecord r = record;
    return new Change(
        seq,
        null,
        new RecordState(
            r.collection(), r.id(), r.data(), r.version(), r.origin(), null, r.deleted()));
  }
}
