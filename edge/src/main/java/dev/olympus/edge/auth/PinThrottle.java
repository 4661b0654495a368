package dev.olympus.edge.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows PIN guessing down: {@code maxAttempts} unsuccessful attempts for one employee id within
 * {@code window}, and further attempts for that id are refused until the oldest leaves the window.
 * A four-digit PIN falls to 10,000 guesses; at 5 a minute that takes more than a day per employee.
 * Counted per employee id as the terminal sent it (known or not), so the throttle reveals nothing
 * about which ids exist. An attempt counts when it starts, so concurrent guesses cannot slip past
 * the limit; a right PIN clears the count.
 */
public final class PinThrottle {
  /** Ids tracked at most; the stalest are forgotten first, so a flood of ids cannot grow memory. */
  private static final int MAX_TRACKED = 10_000;

  private final int maxAttempts;
  private final Duration window;
  private final Clock clock;

  // Access order: the least recently failed id is the first to go when the map is full.
  private final Map<String, ArrayDeque<Long>> attempts = new LinkedHashMap<>(64, 0.75f, true);

  public PinThrottle(int maxAttempts, Duration window, Clock clock) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
    this.maxAttempts = maxAttempts;
    this.window = window;
    this.clock = clock;
  }

  /** Five attempts a minute per employee. */
  public static PinThrottle standard(Clock clock) {
    return new PinThrottle(5, Duration.ofMinutes(1), clock);
  }

  /**
   * Counts an attempt for {@code employeeId} when it may try now (empty); otherwise counts nothing
   * and says how long it must wait.
   */
  public synchronized Optional<Duration> tryAcquire(String employeeId) {
    long now = clock.millis();
    ArrayDeque<Long> q = attempts.computeIfAbsent(employeeId, k -> new ArrayDeque<>());
    expire(q, now);
    if (q.size() >= maxAttempts) {
      return Optional.of(Duration.ofMillis(Math.max(1, q.peekFirst() + window.toMillis() - now)));
    }
    q.addLast(now);
    if (attempts.size() > MAX_TRACKED) {
      Iterator<String> eldest = attempts.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    return Optional.empty();
  }

  /** A right PIN clears the employee's count: its attempt was not a guess. */
  public synchronized void onSuccess(String employeeId) {
    attempts.remove(employeeId);
  }

  private void expire(ArrayDeque<Long> q, long now) {
    long cutoff = now - window.toMillis();
    while (!q.isEmpty() && q.peekFirst() <= cutoff) {
      q.removeFirst();
    }
  }
}
