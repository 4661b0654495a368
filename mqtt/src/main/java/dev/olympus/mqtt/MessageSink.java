package dev.olympus.mqtt;

/**
 * Where the broker hands every message a device was allowed to publish, in-process, before it is
 * routed to any subscriber. Called on the broker's threads: queue the work, do not block.
 *
 * <p>The device's QoS 1 acknowledgement waits for the {@link Receipt}: a sensor is told its reading
 * arrived only once it is stored, so nothing acknowledged is lost in a crash.
 */
@FunctionalInterface
public interface MessageSink {
  void accept(
      DevicePrincipal device, String topic, byte[] payload, long receivedAtMillis, Receipt receipt);

  /** The answer to one message; the first call counts, later ones change nothing. */
  interface Receipt {
    /** The message is stored: acknowledge it to the device. */
    void stored();

    /**
     * The message is refused for good (malformed, unknown device) or could not be taken now (the
     * hub is overloaded): MQTT 5 devices get a PUBACK with an error reason code and this text.
     */
    void refused(String why);
  }
}
