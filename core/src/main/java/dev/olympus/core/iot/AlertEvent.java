package dev.olympus.core.iot;

/**
 * What the engine decided. {@code shouldNotify}: should someone be told now (false for replayed,
 * already-ended episodes).
 */
public record AlertEvent(Kind kind, Alert alert, boolean shouldNotify) {
  /** What happened to the alert. */
  public enum Kind {
    RAISED,
    ESCALATED,
    ACKNOWLEDGED,
    RESOLVED,
    /** An episode found in a replayed backlog that already ended: for the compliance log only. */
    RECORDED_LATE
  }
}
