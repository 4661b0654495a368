package dev.olympus.web.realtime;

import dev.olympus.core.sync.Change;
import java.util.List;
import java.util.Optional;

/**
 * The tier's change feed as the hub reads it: the cloud's per-tenant feed, or an edge's own. The
 * feed is the truth; the hub only tells devices sooner what a pull would return.
 *
 * <p>Implementations are called from virtual threads and may block (a database query). They must be
 * state-based and gap-free like the pull endpoint: {@link #read} returns, in ascending {@code seq},
 * every record visible to the location whose latest change is numbered above {@code since}, and a
 * reader that has seen seq N has seen every change numbered below N.
 */
public interface ChangeSource {
  /**
   * The name of the sequence space the location's changes are numbered in, sent in the welcome
   * frame: {@code cloud:<tenant>} on the cloud, {@code edge:<edge device id>} on an edge. A client
   * keeps one cursor per stream.
   */
  String stream(LocationKey location);

  /** The highest seq visible to the location, 0 when there is none. */
  long latestSeq(LocationKey location);

  /**
   * The changes visible to the location (its own records and enterprise-wide ones) with {@code seq
   * > since}, ascending by seq, at most {@code limit}: the latest state of each record.
   */
  List<FeedChange> read(LocationKey location, long since, int limit);

  /**
   * A change as the feed holds it.
   *
   * @param storedAction the action its writer stored with it (the writer knew the record before the
   *     change; the hub may not), or null: the hub then names it with {@code ChangeKind} from the
   *     data it last broadcast for the record, or as a creation when it has none
   */
  record FeedChange(Change change, String storedAction) {}

  /**
   * Where this feed stands in the one it is fed from, for the welcome frame's {@code upstream}: an
   * edge tells its terminals that once they hold its stream through {@code through_seq} they hold
   * the cloud's through {@code seq}, so a terminal failing over for the first time resumes the
   * cloud's stream there instead of replaying it from the start. Empty (the default): no upstream,
   * or not known yet.
   */
  default Optional<Upstream> upstream(LocationKey location) {
    return Optional.empty();
  }

  /**
   * A mark in the upstream feed.
   *
   * @param stream the upstream's stream, e.g. {@code cloud:<tenant>}
   * @param seq every upstream change through this seq is in this feed...
   * @param throughSeq ...numbered at or below this seq of this feed
   */
  record Upstream(String stream, long seq, long throughSeq) {}
}
