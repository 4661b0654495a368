package dev.olympus.edge.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.JdbiConfig;

/**
 * Tells listeners that a transaction which changed records has committed, so readers of the edge's
 * change stream (the LAN WebSocket) wake at once instead of polling. Kept in the {@link Jdbi}'s
 * configuration, so every write path that holds a {@link Handle} (local writes, pulled pages, push
 * answers) can signal without being handed a listener. A signal only says "look again": listeners
 * must not query the database from it (the edge's single connection may still be held).
 */
public final class ChangeSignal implements JdbiConfig<ChangeSignal> {
  private final List<Runnable> listeners;

  /** Created by Jdbi's configuration registry. */
  public ChangeSignal() {
    this(new CopyOnWriteArrayList<>());
  }

  private ChangeSignal(List<Runnable> listeners) {
    this.listeners = listeners;
  }

  /** The signal of a database: listeners registered here hear every commit that changed records. */
  public static ChangeSignal of(Jdbi jdbi) {
    return jdbi.getConfig(ChangeSignal.class);
  }

  /** Adds a listener, called on the committing thread; it must be quick and must not block. */
  public void listen(Runnable listener) {
    listeners.add(listener);
  }

  /** Calls the listeners now. */
  public void fire() {
    for (Runnable r : listeners) {
      r.run();
    }
  }

  /** Calls the listeners once the handle's transaction commits (at once outside a transaction). */
  public static void afterCommit(Handle h) {
    ChangeSignal s = h.getConfig(ChangeSignal.class);
    if (s.listeners.isEmpty()) {
      return;
    }
    if (h.isInTransaction()) {
      h.afterCommit(s::fire);
    } else {
      s.fire();
    }
  }

  @Override
  public ChangeSignal createCopy() {
    // Handles get copies of the Jdbi's configuration; they share one list of listeners.
    return new ChangeSignal(listeners);
  }
}
