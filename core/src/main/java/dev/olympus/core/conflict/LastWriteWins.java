package dev.olympus.core.conflict;

import dev.olympus.core.sync.RecordState;

/** The total order of writes that last-write-wins uses: clock first, then node id. */
public final class LastWriteWins {
  private LastWriteWins() {}

  /** Whether {@code a} was written after {@code b}. */
  public static boolean isNewer(RecordState a, RecordState b) {
    return isNewer(a.version(), a.origin(), b.version(), b.origin());
  }

  /** Whether the write (versionA, nodeA) comes after (versionB, nodeB). */
  public static boolean isNewer(long versionA, String nodeA, long versionB, String nodeB) {
    if (versionA != versionB) {
      return Long.compareUnsigned(versionA, versionB) > 0;
    }
    return nodeA.compareTo(nodeB) > 0;
  }
}
