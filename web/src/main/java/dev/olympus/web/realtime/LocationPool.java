package dev.olympus.web.realtime;

import dev.olympus.core.sync.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections of one location and the location's reader: it reads each new change from the
 * source once, names it, and keeps the recent frames so that up-to-date connections are served from
 * memory. A connection whose cursor is older than the recent frames reads the source itself.
 */
final class LocationPool {
  final LocationKey key;
  final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  final AtomicInteger pumpWip = new AtomicInteger();
  private final int recentLimit;
  private final Map<String, Map<String, Object>> lastData;

  // Guarded by this.
  private boolean started;
  private final ArrayList<Frame> recent = new ArrayList<>();
  private long recentBase; // every frame read with a seq above it is in recent
  private volatile long readSeq;
  private volatile Instant lastChangeAt;

  LocationPool(LocationKey key, int recentLimit, int knownRecords) {
    this.key = key;
    this.recentLimit = recentLimit;
    this.lastData =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > knownRecords;
          }
        };
  }

  /** Starts reading at the source's latest seq, once. */
  synchronized void start(ChangeSource source) {
    if (!started) {
      readSeq = source.latestSeq(key);
      recentBase = readSeq;
      started = true;
    }
  }

  synchronized boolean started() {
    return started;
  }

  long readSeq() {
    return readSeq;
  }

  Instant lastChangeAt() {
    return lastChangeAt;
  }

  /** Names the changes read after {@link #readSeq()} and keeps them. Called by the pump only. */
  synchronized void append(List<ChangeSource.FeedChange> changes, Instant now) {
    for (ChangeSource.FeedChange fed : changes) {
      Change c = fed.change();
      if (c.seq() <= readSeq) {
        continue;
      }
      String k = c.record().collection() + '\u0000' + c.record().id();
      Frame f = Frame.of(fed, lastData.get(k));
      if (c.record().deleted()) {
        lastData.remove(k);
      } else {
        lastData.put(k, c.record().data());
      }
      recent.add(f);
      readSeq = c.seq();
      lastChangeAt = now;
    }
    if (recent.size() > recentLimit * 2) {
      int drop = recent.size() - recentLimit;
      recentBase = recent.get(drop - 1).seq();
      recent.subList(0, drop).clear();
    }
  }

  /**
   * The recent frames after {@code cursor}, at most {@code max}; empty when the cursor is up to
   * date; null when the cursor is older than the recent frames (read the source instead).
   */
  synchronized List<Frame> recentAfter(long cursor, int max) {
    if (cursor >= readSeq) {
      return List.of();
    }
    if (cursor < recentBase) {
      return null;
    }
    int lo = 0;
    int hi = recent.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (recent.get(mid).seq() <= cursor) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return List.copyOf(recent.subList(lo, Math.min(recent.size(), lo + max)));
  }
}
