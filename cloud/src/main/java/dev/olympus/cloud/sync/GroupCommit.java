package dev.olympus.cloud.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * Applies items that arrive together as one group per key: one transaction, one commit. No thread
 * of its own: a caller queues its item and takes the lock; whoever holds it applies everything
 * queued so far, grouped by key in arrival order, and a caller whose item another applied simply
 * returns its answer.
 *
 * @param <K> what items must share to be applied together (the writer)
 * @param <I> an item
 * @param <R> its answer
 */
final class GroupCommit<K, I, R> {
  /** At most this many items in one group, so one commit never holds the tenant long. */
  private static final int MAX_ITEMS = 256;

  private record Task<K, I, R>(K key, I item, CompletableFuture<R> done) {}

  private final BiFunction<K, List<I>, List<R>> applyInOrder;
  private final ConcurrentLinkedQueue<Task<K, I, R>> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param applyInOrder applies the items of one key in one transaction and answers each, in order
   */
  GroupCommit(BiFunction<K, List<I>, List<R>> applyInOrder) {
    this.applyInOrder = applyInOrder;
  }

  R run(K key, I item) {
    Task<K, I, R> task = new Task<>(key, item, new CompletableFuture<>());
    queue.add(task);
    while (!task.done().isDone()) {
      lock.lock();
      try {
        if (!task.done().isDone()) {
          applyQueued();
        }
      } finally {
        lock.unlock();
      }
    }
    try {
      return task.done().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted after the write was done", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void applyQueued() {
    Map<K, List<Task<K, I, R>>> groups = new LinkedHashMap<>();
    Task<K, I, R> next;
    int taken = 0;
    while (taken < MAX_ITEMS && (next = queue.poll()) != null) {
      groups.computeIfAbsent(next.key(), k -> new ArrayList<>()).add(next);
      taken++;
    }
    for (Map.Entry<K, List<Task<K, I, R>>> group : groups.entrySet()) {
      List<Task<K, I, R>> tasks = group.getValue();
      List<I> items = new ArrayList<>(tasks.size());
      for (Task<K, I, R> t : tasks) {
        items.add(t.item());
      }
      try {
        List<R> answers = applyInOrder.apply(group.getKey(), items);
        for (int i = 0; i < tasks.size(); i++) {
          tasks.get(i).done().complete(answers.get(i));
        }
      } catch (RuntimeException | Error e) {
        for (Task<K, I, R> t : tasks) {
          t.done().completeExceptionally(e);
        }
      }
    }
  }
}
