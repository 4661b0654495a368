package dev.olympus.mqtt;

import java.nio.file.Path;

/**
 * Where the embedded broker listens and keeps its files.
 *
 * @param host the address to bind, e.g. {@code 0.0.0.0} for the restaurant's LAN
 * @param port the MQTT port; 0 picks a free one ({@link EmbeddedBroker#port()} tells which)
 * @param dataDir the broker's own folder (its configuration and data)
 */
public record BrokerSettings(String host, int port, Path dataDir) {
  public BrokerSettings {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("the MQTT port must be between 0 and 65535, was " + port);
    }
  }
}
