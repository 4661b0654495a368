package dev.olympus.core.iot;

/** Serializable engine state, opaque JSON text the engine writes and reads. */
public record AlertEngineState(String json) {}
