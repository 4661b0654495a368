package dev.olympus.cloud.realtime;

import dev.olympus.cloud.sync.SyncStore;
import dev.olympus.web.realtime.ChangeSource;
import dev.olympus.web.realtime.LocationKey;
import java.util.List;

/** The cloud's change feed for the hub: the same per-tenant feed a pull reads. */
final class CloudChangeSource implements ChangeSource {
  private final SyncStore store;

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

  /**
   * The tenant's feed with the action stored with each change, named when it was written from the
   * record before it: a replayed change, or the first after a restart, is named as exactly as a
   * live one.
   */
  @Override
  public List<FeedChange> read(LocationKey location, long since, int limit) {
    SyncStore.FeedPage feed = store.feed(location.tenantId(), location.locationId(), since, limit);
    return feed.page().changes().stream()
        .map(c -> new FeedChange(c, feed.actions().get(c.seq())))
        .toList();
  }
}
