package dev.olympus.core.iot.sim;

/** One MQTT message a simulated device publishes. */
public record SimulatedMessage(String topic, byte[] payload) {}
