package dev.olympus.cloud.sync;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Wakes long polls in this process when a change is committed for their location (or
 * enterprise-wide) or a sync is triggered. Only a hint: the waiter re-reads the change feed, so a
 * lost wake-up costs latency, never data.
 */
public final class ChangeNotifier {
  /** Why a waiter woke: a commit ({@code trigger} false) or a trigger with its priority. */
  public record Signal(boolean trigger, String priority) {}

  private final Map<String, Map<String, Set<CompletableFuture<Signal>>>> waiters =
      new ConcurrentHashMap<>();
  private final Map<String, String> pendingTriggers = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Told of every commit and trigger in this process too, e.g. the WebSocket hub. */
  public interface Listener {
    void onCommitted(String tenantId, Set<String> locations);

    void onTrigger(String tenantId, String locationId, String priority);
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  private static final Signal STOPPING = new Signal(false, null);
  private volatile boolean stopping;

  /** Registers before reading the feed, so a commit between the read and the wait is not lost. */
  public CompletableFuture<Signal> register(String tenantId, String locationId) {
    CompletableFuture<Signal> f = new CompletableFuture<>();
    waiters
        .computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(locationId, l -> ConcurrentHashMap.newKeySet())
        .add(f);
    if (stopping) {
      f.complete(STOPPING);
    }
    return f;
  }

  /**
   * The server is stopping: every waiting long-poll is answered now (with the latest seq, as on a
   * timeout) and new ones at once, so the stop need not wait for them.
   */
  public void wakeAllForStop() {
    stopping = true;
    for (Map<String, Set<CompletableFuture<Signal>>> byLocation : waiters.values()) {
      for (Set<CompletableFuture<Signal>> set : byLocation.values()) {
        for (CompletableFuture<Signal> f : set) {
          f.complete(STOPPING);
        }
      }
    }
  }

  public void unregister(String tenantId, String locationId, CompletableFuture<Signal> f) {
    Map<String, Set<CompletableFuture<Signal>>> byLocation = waiters.get(tenantId);
    if (byLocation != null) {
      Set<CompletableFuture<Signal>> set = byLocation.get(locationId);
      if (set != null) {
        set.remove(f);
      }
    }
  }

  /**
   * Changes were committed for these locations of the tenant; a null location means an
   * enterprise-wide change, which wakes every location.
   */
  public void committed(String tenantId, Set<String> locations) {
    listeners.forEach(l -> l.onCommitted(tenantId, locations));
    Map<String, Set<CompletableFuture<Signal>>> byLocation = waiters.get(tenantId);
    if (byLocation == null) {
      return;
    }
    Signal signal = new Signal(false, null);
    if (locations.contains(null)) {
      byLocation.values().forEach(set -> set.forEach(f -> f.complete(signal)));
      return;
    }
    for (String location : locations) {
      Set<CompletableFuture<Signal>> set = byLocation.get(location);
      if (set != null) {
        set.forEach(f -> f.complete(signal));
      }
    }
  }

  /**
   * Asks the location's edge to sync now. Kept until a long poll takes it, so an edge between two
   * polls gets it on its next one.
   */
  public void trigger(String tenantId, String locationId, String priority) {
    pendingTriggers.put(locationId, priority);
    listeners.forEach(l -> l.onTrigger(tenantId, locationId, priority));
    Map<String, Set<CompletableFuture<Signal>>> byLocation = waiters.get(tenantId);
    if (byLocation != null) {
      Set<CompletableFuture<Signal>> set = byLocation.get(locationId);
      if (set != null) {
        Signal signal = new Signal(true, priority);
        set.forEach(f -> f.complete(signal));
      }
    }
  }

  /** Takes the location's pending trigger, if any, with its priority. */
  public Optional<String> takeTrigger(String locationId) {
    return Optional.ofNullable(pendingTriggers.remove(locationId));
  }
}
