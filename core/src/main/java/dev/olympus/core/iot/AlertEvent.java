package dev.olympus.core.iot;

/** What the engine decided; shouldNotify says whether someone should be told now. */
public record AlertEvent(Kind kind, Alert alert, boolean shouldNotify) {
  /** What happened to the alert. */
  public enum Kind {
    RAISED,
    ESCALATED,
    ACKNOWLEDGED,
    RESOLVED,
    RECORDED_LATE
  }
}
