package dev.olympus.edge.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Commits concurrent writes together: one transaction and one fsync for all the writes that arrived
 * while the previous commit was on disk. With {@code synchronous=FULL} an fsync takes milliseconds,
 * so committing terminal writes one by one caps the edge at a few hundred writes a second and
 * queues the rest behind each other's fsync.
 *
 * <p>No thread of its own: a writer queues its work and takes the commit lock; whoever holds it
 * commits everything queued so far, and a writer whose work was committed by another simply
 * returns. Each write runs under its own savepoint, so a refused write rolls back alone and the
 * others commit. A write is answered only after the commit that holds it, as before.
 */
final class GroupCommit {
  /** At most this many writes in one transaction, so one commit never holds the database long. */
  private static final int MAX_BATCH = 256;

  /** Work done inside the shared transaction; its exception refuses this write alone. */
  interface Work<T> {
    T run(Handle h);
  }

  private record Task<T>(Work<T> work, CompletableFuture<T> done) {}

  private final Jdbi jdbi;
  private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock commitLock = new ReentrantLock();

  GroupCommit(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Runs {@code work} in a transaction shared with concurrent writes, once it is committed. */
  <T> T run(Work<T> work) {
    Task<T> task = new Task<>(work, new CompletableFuture<>());
    queue.add(task);
    while (!task.done().isDone()) {
      commitLock.lock();
      try {
        if (!task.done().isDone()) {
          commitQueued();
        }
      } finally {
        commitLock.unlock();
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

  private void commitQueued() {
    List<Task<?>> batch = new ArrayList<>();
    Task<?> next;
    while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    List<Object> results = new ArrayList<>(batch.size());
    List<Throwable> refusals = new ArrayList<>(batch.size());
    try {
      jdbi.useTransaction(
          h -> {
            if (batch.size() == 1) {
              // Alone: no savepoint needed; a refusal rolls the transaction back.
              results.add(batch.get(0).work().run(h));
              refusals.add(null);
              return;
            }
            for (Task<?> task : batch) {
              h.execute("SAVEPOINT w");
              Object result;
              try {
                result = task.work().run(h);
                h.execute("RELEASE w");
              } catch (RuntimeException | Error e) {
                h.execute("ROLLBACK TO w");
                h.execute("RELEASE w");
                results.add(null);
                refusals.add(e);
                continue;
              }
              results.add(result);
              refusals.add(null);
            }
          });
    } catch (RuntimeException | Error e) {
      // The commit failed (or the lone write was refused): nothing of this batch was written.
      for (int i = 0; i < batch.size(); i++) {
        Throwable own = i < refusals.size() && refusals.get(i) != null ? refusals.get(i) : e;
        batch.get(i).done().completeExceptionally(own);
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i), refusals.get(i));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> task, Object result, Throwable refusal) {
    if (refusal != null) {
      task.done().completeExceptionally(refusal);
    } else {
      task.done().complete((T) result);
    }
  }
}
