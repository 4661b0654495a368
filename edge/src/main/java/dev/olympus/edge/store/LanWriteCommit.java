package dev.olympus.edge.store;

import dev.olympus.store.GroupCommit;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Terminal writes that arrive together share one transaction and one fsync ({@link GroupCommit}); a
 * write that finds nothing being committed commits on its own request thread. Each runs under its
 * own savepoint, so a refused write (a stale If-Match, an append-only record changed) rolls back
 * alone and the others commit.
 */
final class LanWriteCommit {
  /** Work done inside the shared transaction; its exception refuses this write alone. */
  interface Work<T> {
    T run(Handle h);
  }

  private final Jdbi jdbi;
  private final GroupCommit<Boolean, Work<?>, Object> group =
      GroupCommit.callerCommitsWhenQuiet(this::commit);

  LanWriteCommit(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @SuppressWarnings("unchecked")
  <T> T run(Work<T> work) {
    return (T) group.run(Boolean.TRUE, work);
  }

  private List<GroupCommit.Answer<Object>> commit(Boolean all, List<Work<?>> writes) {
    List<GroupCommit.Answer<Object>> answers = new ArrayList<>(writes.size());
    if (writes.size() == 1) {
      // Alone: no savepoint needed; a refusal rolls the transaction back and fails the group.
      answers.add(GroupCommit.Answer.of(jdbi.inTransaction(h -> writes.get(0).run(h))));
      return answers;
    }
    jdbi.useTransaction(
        h -> {
          for (Work<?> work : writes) {
            h.execute("SAVEPOINT w");
            Object result;
            try {
              result = work.run(h);
              h.execute("RELEASE w");
            } catch (RuntimeException e) {
              h.execute("ROLLBACK TO w");
              h.execute("RELEASE w");
              answers.add(GroupCommit.Answer.refused(e));
              continue;
            }
            answers.add(GroupCommit.Answer.of(result));
          }
        });
    return answers;
  }
}
