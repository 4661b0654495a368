package dev.olympus.edge.syncer;

/**
 * What one sync cycle did.
 *
 * @param pushed ops the cloud answered (applied, merged or duplicate)
 * @param rejected ops the cloud rejected and that stay queued for another attempt
 * @param toReview ops the cloud moved to its review queue (dropped from the outbox)
 * @param pulled changes pulled from the feed
 * @param millis the cycle's duration
 */
public record CycleResult(long pushed, long rejected, long toReview, long pulled, long millis) {}
