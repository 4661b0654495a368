package dev.olympus.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * Commits writes that arrive together as one group per key: one transaction, one fsync. With
 * durable commits an fsync takes milliseconds, so committing concurrent writes one by one queues
 * each behind the others' fsync and caps a store at a few hundred writes a second.
 *
 * <p>One committing thread applies everything queued so far, grouped by key in arrival order, then
 * looks again; callers wait for their answer, which comes only after the commit that holds their
 * item. That thread is a platform thread of its own, started when work is left and gone after a
 * while without any: the database driver's native calls and the fsync would otherwise pin a virtual
 * thread's carrier for every commit of a busy store, and on a small machine half of the carriers
 * that serve every request.
 *
 * <p>{@link #callerCommitsWhenQuiet} also lets a caller commit what is queued itself, usually its
 * own item alone, when the store is quiet (nothing being committed, and no commit ended in the last
 * {@link #QUIET}): passing a lone write to another thread and waiting to be woken costs two thread
 * wake-ups, and on a mostly idle machine a wake-up can take longer than the write's own statements.
 * A busy store keeps every commit on the committing thread, where the commits of many callers share
 * a group and no request's carrier is pinned. It suits short transactions (a terminal's write on
 * the edge).
 *
 * @param <K> what items must share to be applied together (a writer, or one constant)
 * @param <I> an item
 * @param <R> its answer
 */
public final class GroupCommit<K, I, R> {
  /** At most this many items in one group, so one commit never holds the database long. */
  private static final int MAX_ITEMS = 256;

  /** How long after the last commit a store counts as quiet, so that a caller may commit itself. */
  static final Duration QUIET = Duration.ofMillis(2);

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
  private final boolean callerCommits;
  private volatile long lastCommitEnded = System.nanoTime() - QUIET.toNanos();
  private final ConcurrentLinkedQueue<Task<K, I, R>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ThreadPoolExecutor committer =
      new ThreadPoolExecutor(
          1,
          1,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "olympus-group-commit");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param applyInOrder applies the items of one key in one transaction and answers each, in order;
   *     an exception it throws fails the whole group (nothing of it was committed)
   */
  public GroupCommit(BiFunction<K, List<I>, List<Answer<R>>> applyInOrder) {
    this(applyInOrder, false);
  }

  private GroupCommit(BiFunction<K, List<I>, List<Answer<R>>> applyInOrder, boolean callerCommits) {
    this.applyInOrder = applyInOrder;
    this.callerCommits = callerCommits;
    committer.allowCoreThreadTimeOut(true);
  }

  /**
   * A group commit in which a caller that finds the store quiet commits what is queued on its own
   * thread (see the class comment).
   */
  public static <K, I, R> GroupCommit<K, I, R> callerCommitsWhenQuiet(
      BiFunction<K, List<I>, List<Answer<R>>> applyInOrder) {
    return new GroupCommit<>(applyInOrder, true);
  }

  /**
   * Applies {@code item} with whatever else is queued under {@code key}; its answer once committed.
   */
  public R run(K key, I item) {
    Task<K, I, R> task = new Task<>(key, item, new CompletableFuture<>());
    queue.add(task);
    if (draining.compareAndSet(false, true)) {
      if (callerCommits && System.nanoTime() - lastCommitEnded >= QUIET.toNanos()) {
        try {
          applyQueued();
        } finally {
          handOn();
        }
      } else {
        committer.execute(this::drain);
      }
    }
    try {
      // Not interruptible: once queued, the item may commit, and its caller must hear so.
      return task.done().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Ends a caller's own commit: what queued meanwhile goes to the committing thread, unless another
   * caller has already taken it on.
   */
  private void handOn() {
    draining.set(false);
    if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
      committer.execute(this::drain);
    }
  }

  /** Applies groups until the queue is empty; an item queued meanwhile starts another drain. */
  private void drain() {
    while (true) {
      while (!queue.isEmpty()) {
        applyQueued();
      }
      draining.set(false);
      if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void applyQueued() {
    try {
      applyQueuedGroups();
    } finally {
      lastCommitEnded = System.nanoTime();
    }
  }

  private void applyQueuedGroups() {
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
