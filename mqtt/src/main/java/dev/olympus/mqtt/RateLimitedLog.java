package dev.olympus.mqtt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * One warning per kind of problem per minute: a misconfigured sensor publishing ten times a second
 * must not bury the log, but its first refusal must be there.
 */
public final class RateLimitedLog {
  private static final long QUIET_MILLIS = 60_000;
  private final Logger log;
  private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

  public RateLimitedLog(Logger log) {
    this.log = log;
  }

  /**
   * Logs {@code format} unless a warning of the same {@code kind} was logged in the last minute.
   */
  public void warn(String kind, String format, Object... args) {
    long now = System.currentTimeMillis();
    Long last = lastLogged.get(kind);
    if (last != null && now - last < QUIET_MILLIS) {
      return;
    }
    if (lastLogged.size() > 10_000) {
      lastLogged.clear();
    }
    lastLogged.put(kind, now);
    log.warn(format, args);
  }
}
