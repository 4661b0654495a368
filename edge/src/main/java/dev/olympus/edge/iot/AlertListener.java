package dev.olympus.edge.iot;

import dev.olympus.core.iot.AlertEvent;

/**
 * Hears every alert event of the hub's engine (the notifications). Called on the ingest thread
 * after the event is stored: it must not block on the network.
 */
@FunctionalInterface
public interface AlertListener {
  AlertListener NONE = event -> {};

  void onAlert(AlertEvent event);
}
