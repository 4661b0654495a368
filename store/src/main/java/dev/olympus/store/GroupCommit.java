package dev.olympus.store;

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
 * Commits writes that arrive together as one group per key: one transaction, one fsync. With
 * durable commits an fsync takes milliseconds, so committing concurrent writes one by one queues
 * each behind the others' fsync and caps a store at a few hundred writes a second.
 *
 * <p>No thread of its own: a caller queues its item and takes the lock; whoever holds it applies
 * everything queued so far, grouped by key in arrival order, and a caller whose item another
 * applied simply returns its answer. Every item is still answered only after the commit that holds
 * it.
 *
 * @param <K> what items must share to be applied together (a writer, or one constant)
 * @param <I> an item
 * @param <R> its answer
 */
public final class GroupCommit<K, I, R> {
  /** At most this many items in one group, so one commit never holds the database long. */
  private static final int MAX_ITEMS = 256;

  /** One item's outcome within its group: its answer, or the refusal of that item alone. */
  public record Answer<R>(R value, RuntimeException refusal) {
    public static <R> Answer<R> of(R value) {
      return new Answer<>(value, null);
    }

    public static <R> Answer<R> refused(RuntimeException refusal) {
      return new Answer<>(null, refusal);
    }
  }

  private record Task<K, I, R>(K key, I item, CompletableFuture<R> done) {}

  private final BiFunction<K, List<I>, List<Answer<R>>> applyInOrder;
  private final ConcurrentLinkedQueue<Task<K, I, R>> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param applyInOrder applies the items of one key in one transaction and answers each, in order;
   *     an exception it throws fails the whole group (nothing of it was committed)
   */
  public GroupCommit(BiFunction<K, List<I>, List<Answer<R>>> applyInOrder) {
    this.applyInOrder = applyInOrder;
  }

  /**
   * Applies {@code item} with whatever else is queued under {@code key}; its answer once committed.
   */
  public R run(K key, I item) {
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
        List<Answer<R>> answers = applyInOrder.apply(group.getKey(), items);
        for (int i = 0; i < tasks.size(); i++) {
          Answer<R> a = answers.get(i);
          if (a.refusal() != null) {
            tasks.get(i).done().completeExceptionally(a.refusal());
          } else {
            tasks.get(i).done().complete(a.value());
          }
        }
      } catch (RuntimeException | Error e) {
        for (Task<K, I, R> t : tasks) {
          t.done().completeExceptionally(e);
        }
      }
    }
  }
}
