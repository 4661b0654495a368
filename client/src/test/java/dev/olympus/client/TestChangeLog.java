package dev.olympus.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory change log shared by test servers: records, a per-tenant seq, and the op ids it
 * applied (with how many times each was really applied, which must be once).
 */
final class TestChangeLog {
  record Entry(
      long seq,
      String restaurant,
      String collection,
      String id,
      Map<String, Object> data,
      long version,
      boolean deleted,
      String origin,
      String action) {}

  record StoredResponse(int status, String body) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, Entry> latest = new HashMap<>();
  private final Map<String, StoredResponse> responses = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
  private long seq;
  private long version = 1_000;

  /** The seq of the last change written, 0 when none. */
  synchronized long latestSeq() {
    return seq;
  }

  /** Appends a change and wakes the servers' senders. */
  synchronized Entry write(
      String restaurant,
      String collection,
      String id,
      Map<String, Object> data,
      boolean deleted,
      String origin,
      String action) {
    Entry e =
        new Entry(
            ++seq,
            restaurant,
            collection,
            id,
            Map.copyOf(data),
            ++version,
            deleted,
            origin,
            action);
    entries.add(e);
    latest.put(collection + "/" + id, e);
    notifyAll();
    return e;
  }

  /** The first entry of {@code restaurant} after {@code since}, waiting up to {@code waitMs}. */
  synchronized Entry awaitAfter(String restaurant, long since, long waitMs)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + waitMs;
    while (true) {
      int i = firstIndexAfter(since);
      for (; i < entries.size(); i++) {
        Entry e = entries.get(i);
        if (e.restaurant.equals(restaurant)) {
          return e;
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return null;
      }
      wait(left);
    }
  }

  synchronized void wake() {
    notifyAll();
  }

  private int firstIndexAfter(long since) {
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).seq <= since) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  synchronized Entry current(String collection, String id) {
    Entry e = latest.get(collection + "/" + id);
    return e == null || e.deleted ? null : e;
  }

  synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  StoredResponse response(String opId) {
    return responses.get(opId);
  }

  void remember(String opId, StoredResponse r) {
    responses.put(opId, r);
    applied.computeIfAbsent(opId, k -> new AtomicInteger()).incrementAndGet();
  }

  /** How many times each op id was applied. */
  Map<String, Integer> appliedCounts() {
    Map<String, Integer> m = new LinkedHashMap<>();
    applied.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }
}
