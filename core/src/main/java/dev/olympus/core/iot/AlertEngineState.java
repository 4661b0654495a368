package dev.olympus.core.iot;

/**
 * Serializable engine state (timers, open alerts, baselines): opaque JSON the engine writes and
 * reads.
 */
public record AlertEngineState(String json) {}
