package dev.olympus.cloud.iot;

import dev.olympus.core.iot.AlertEvent;

/** Hears every alert event the cloud's own engine decides (notifications plug in here). */
public interface AlertListener {
  /** Does nothing: the cloud runs without notifications until one is wired in. */
  AlertListener NONE = event -> {};

  void onAlert(AlertEvent event);
}
