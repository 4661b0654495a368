package dev.olympus.notify;

/** Receives staff notices; the edge puts them on its LAN WebSocket. Must not block for long. */
@FunctionalInterface
public interface StaffListener {
  void onStaffNotification(StaffNotification notice);
}
