package dev.olympus.edge.config;

/**
 * One config sync that succeeded.
 *
 * @param kind what it ended up being (a delta may turn into a full sync)
 * @param fromVersion the cache's version before, 0 when it was empty
 * @param toVersion the cache's version after
 * @param changes entities written or deleted (for a full sync: entities stored)
 * @param millis how long it took, the request included
 * @param applyMillis of which applying it to the local database (one transaction)
 * @param reason why it was a full sync, null for a delta
 */
public record SyncOutcome(
    SyncKind kind,
    long fromVersion,
    long toVersion,
    int changes,
    long millis,
    long applyMillis,
    String reason) {}
