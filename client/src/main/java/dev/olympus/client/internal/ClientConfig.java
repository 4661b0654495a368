package dev.olympus.client.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Settings the builder of {@code OlympusClient} collected, validated there.
 *
 * @param endpoints base URLs in order of preference
 * @param deviceToken the device token
 * @param deviceId the device id
 * @param restaurantId the location id
 * @param userId the signed-in user, or null
 * @param clock the clock
 * @param random jitter and op id randomness
 * @param scheduler timers and the delivery thread
 * @param heartbeatOverride the heartbeat interval to use instead of the server's, or null
 * @param backoffBase the first reconnect delay ceiling
 * @param backoffMax the largest reconnect delay
 * @param probeInterval how often a preferred endpoint is probed while on a later one
 * @param connectTimeout TCP connect and HTTP call timeout
 * @param missingRecordTimeout how long a write a fallback endpoint answered 404 is held
 */
public record ClientConfig(
    List<String> endpoints,
    String deviceToken,
    String deviceId,
    String restaurantId,
    String userId,
    Clock clock,
    Random random,
    ScheduledExecutorService scheduler,
    Duration heartbeatOverride,
    Duration backoffBase,
    Duration backoffMax,
    Duration probeInterval,
    Duration connectTimeout,
    Duration missingRecordTimeout) {}
