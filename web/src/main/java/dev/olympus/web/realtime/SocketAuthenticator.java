package dev.olympus.web.realtime;

/**
 * The tier's check of a WebSocket handshake: turns a token into the device it belongs to. It must
 * refuse ({@link CloseCodes#FORBIDDEN}) a token of another location than {@link
 * Handshake#restaurantId()} or of another device than {@link Handshake#deviceId()}; the hub checks
 * the location once more. Called on a virtual thread, so it may query a database.
 */
@FunctionalInterface
public interface SocketAuthenticator {
  Admission admit(Handshake handshake);
}
