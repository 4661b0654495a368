package dev.olympus.core.iot;

/**
 * What the alert engine decided.
 *
 * @param shouldNotify whether someone should be told now (false for replayed, already-ended
 *     episodes)
 */
public record AlertEvent(Kind kind, Alert alert, boolean shouldNotify) {
  /** What happened to the alert. */
  public enum Kind {
    RAISED,
    ESCALATED,
    ACKNOWLEDGED,
    RESOLVED,
    /** An episode found in a replayed backlog that already ended: logged, never notified. */
    RECORDED_LATE
  }
}
