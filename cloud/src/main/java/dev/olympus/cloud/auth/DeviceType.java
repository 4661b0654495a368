package dev.olympus.cloud.auth;

import java.util.List;

/** The device types the cloud registers. */
public final class DeviceType {
  public static final String OLYMPUS_EDGE = "olympus_edge";

  /** Every accepted type; only {@link #OLYMPUS_EDGE} may push. */
  public static final List<String> ALL =
      List.of(OLYMPUS_EDGE, "pos_terminal", "kds", "kiosk", "tablet", "sensor_gateway");

  private DeviceType() {}
}
