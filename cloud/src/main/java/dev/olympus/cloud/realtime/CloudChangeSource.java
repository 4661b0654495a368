package dev.olympus.cloud.realtime;

import dev.olympus.cloud.sync.SyncStore;
import dev.olympus.core.sync.Change;
import dev.olympus.web.realtime.ChangeSource;
import dev.olympus.web.realtime.LocationKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The cloud's change feed for the hub: the same per-tenant feed a pull reads. */
final class CloudChangeSource implements ChangeSource {
  private final SyncStore store;

  /**
   * The stored actions of the last {@link #read} on each thread, by seq, for {@link #storedAction}.
   */
  private final ThreadLocal<Map<Long, String>> lastRead = new ThreadLocal<>();

  CloudChangeSource(SyncStore store) {
    this.store = store;
  }

  @Override
  public String stream(LocationKey location) {
    return "cloud:" + location.tenantId();
  }

  @Override
  public long latestSeq(LocationKey location) {
    return store.latestSeq(location.tenantId(), location.locationId());
  }

  @Override
  public List<Change> read(LocationKey location, long since, int limit) {
    SyncStore.FeedPage feed = store.feed(location.tenantId(), location.locationId(), since, limit);
    lastRead.set(feed.actions());
    return feed.page().changes();
  }

  /**
   * The action the store kept with the change, named when it was written from the record before it:
   * a replayed change, or the first after a restart, is named as exactly as a live one.
   */
  @Override
  public Optional<String> storedAction(LocationKey location, Change change) {
    Map<Long, String> actions = lastRead.get();
    return actions == null ? Optional.empty() : Optional.ofNullable(actions.get(change.seq()));
  }
}
