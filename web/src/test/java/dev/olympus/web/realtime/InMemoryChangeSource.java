package dev.olympus.web.realtime;

import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.RecordState;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A state-based change feed in memory: one seq per tenant, the latest change per record. */
final class InMemoryChangeSource implements ChangeSource {
  private record Entry(String tenantId, Change change) {}

  private final Map<String, Long> seqs = new HashMap<>();
  private final Map<String, Entry> latest = new HashMap<>();
  private final Map<Long, String> actions = new HashMap<>();
  private long version = 1_000;

  /** Commits a change whose writer stored its action. */
  synchronized long write(
      LocationKey location, String collection, String id, Map<String, Object> data, String action) {
    long seq = put(location, collection, id, data, false);
    actions.put(seq, action);
    return seq;
  }

  @Override
  public String stream(LocationKey location) {
    return "test:" + location.tenantId();
  }

  @Override
  public synchronized long latestSeq(LocationKey location) {
    return read(location, 0, Integer.MAX_VALUE).stream()
        .mapToLong(f -> f.change().seq())
        .max()
        .orElse(0);
  }

  @Override
  public synchronized List<FeedChange> read(LocationKey location, long since, int limit) {
    return latest.values().stream()
        .filter(e -> e.tenantId().equals(location.tenantId()))
        .map(Entry::change)
        .filter(c -> c.locationId().equals(location.locationId()) && c.seq() > since)
        .sorted(Comparator.comparingLong(Change::seq))
        .limit(limit)
        .map(c -> new FeedChange(c, actions.get(c.seq())))
        .toList();
  }

  /** Commits a change and returns its seq. */
  synchronized long write(
      LocationKey location, String collection, String id, Map<String, Object> data) {
    return put(location, collection, id, data, false);
  }

  synchronized long delete(LocationKey location, String collection, String id) {
    return put(location, collection, id, Map.of(), true);
  }

  synchronized long versionOf(LocationKey location, String collection, String id) {
    return latest
        .get(location.tenantId() + "/" + collection + "/" + id)
        .change()
        .record()
        .version();
  }

  private long put(
      LocationKey location,
      String collection,
      String id,
      Map<String, Object> data,
      boolean deleted) {
    long seq = seqs.merge(location.tenantId(), 1L, Long::sum);
    RecordState state =
        new RecordState(collection, id, data, ++version, "node-a", Map.of(), deleted);
    latest.put(
        location.tenantId() + "/" + collection + "/" + id,
        new Entry(location.tenantId(), new Change(seq, location.locationId(), state)));
    return seq;
  }
}
