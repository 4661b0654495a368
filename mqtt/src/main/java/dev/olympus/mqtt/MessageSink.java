package dev.olympus.mqtt;

/**
 * Where the broker hands every message a device was allowed to publish, in-process, before it is
 * routed to any subscriber. Called on the broker's threads: queue the work, do not block.
 */
@FunctionalInterface
public interface MessageSink {
  void accept(DevicePrincipal device, String topic, byte[] payload, long receivedAtMillis);
}
