package dev.olympus.client.internal;

import dev.olympus.client.Subscription;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registered listeners of one kind, each with a filter; an exception from one is logged and never
 * keeps the event from the others or stops delivery.
 *
 * @param <E> the event
 * @param <L> the listener
 */
public final class Listeners<E, L> {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private record Entry<E, L>(Predicate<E> filter, L listener) {}

  private final String kind;
  private final CopyOnWriteArrayList<Entry<E, L>> entries = new CopyOnWriteArrayList<>();

  /** Listeners called {@code kind} in logs. */
  public Listeners(String kind) {
    this.kind = kind;
  }

  /** Adds {@code listener} for the events {@code filter} accepts. */
  public Subscription add(Predicate<E> filter, L listener) {
    if (listener == null) {
      throw new IllegalArgumentException(kind + " listener was null: pass a lambda");
    }
    Entry<E, L> e = new Entry<>(filter, listener);
    entries.add(e);
    return () -> entries.remove(e);
  }

  /** Calls {@code call} on each listener whose filter accepts {@code event}. */
  public void fire(E event, java.util.function.BiConsumer<L, E> call) {
    for (Entry<E, L> e : entries) {
      if (!e.filter.test(event)) {
        continue;
      }
      try {
        call.accept(e.listener, event);
      } catch (RuntimeException ex) {
        log.warn(
            "a {} listener threw on {}; delivery goes on (catch exceptions in your listener)",
            kind,
            event,
            ex);
      }
    }
  }
}
