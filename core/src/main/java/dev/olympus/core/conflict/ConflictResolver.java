package dev.olympus.core.conflict;

import dev.olympus.core.sync.RecordState;

/**
 * Resolves a concurrent edit of one record in code, for collections whose strategy is {@code
 * custom:<name>}. Implementations are pure functions of their two arguments, so every replica that
 * resolves the same pair reaches the same result.
 */
@FunctionalInterface
public interface ConflictResolver {
  /**
   * @param server the record as the server holds it
   * @param incoming the record as the incoming op would leave it had there been no concurrent edit
   * @return the resolved content (data and delete flag); version and origin are assigned by the
   *     caller
   */
  RecordState resolve(RecordState server, RecordState incoming);
}
