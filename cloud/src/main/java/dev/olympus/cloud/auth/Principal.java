package dev.olympus.cloud.auth;

/** Who a request comes from, as its bearer token says. */
public sealed interface Principal {
  /** The operator holding the admin token: every tenant, admin API, status and trigger. */
  record Admin() implements Principal {}

  /** A registered device, scoped to one tenant and one location. */
  record Device(String tenantId, String locationId, String deviceId, String deviceType)
      implements Principal {
    public boolean isEdge() {
      return DeviceType.OLYMPUS_EDGE.equals(deviceType);
    }
  }
}
