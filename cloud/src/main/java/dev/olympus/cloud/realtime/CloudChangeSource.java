package dev.olympus.cloud.realtime;

import dev.olympus.cloud.sync.SyncStore;
import dev.olympus.core.sync.Change;
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

  @Override
  public List<Change> read(LocationKey location, long since, int limit) {
    return store.pull(location.tenantId(), location.locationId(), since, limit).changes();
  }
}
