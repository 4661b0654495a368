package dev.olympus.edge.outbox;

import java.util.List;
import java.util.Optional;

/**
 * What is waiting in the outbox: counts per collection and the age span of the queue.
 *
 * @param collections one row per collection with queued ops, soonest priority first
 * @param oldestCreatedAt epoch millis of the oldest queued op, empty when the queue is empty
 * @param newestCreatedAt epoch millis of the newest queued op
 * @param deadLetters ops the cloud sent to review
 */
public record QueueSnapshot(
    List<CollectionCount> collections,
    Optional<Long> oldestCreatedAt,
    Optional<Long> newestCreatedAt,
    long deadLetters) {
  public QueueSnapshot {
    collections = List.copyOf(collections);
  }

  public long total() {
    return collections.stream().mapToLong(CollectionCount::count).sum();
  }

  /** Queued ops of one collection, under the priority rank they were queued with. */
  public record CollectionCount(String collection, int priorityRank, long count) {}
}
