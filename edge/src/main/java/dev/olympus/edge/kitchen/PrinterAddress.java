package dev.olympus.edge.kitchen;

import java.util.Objects;

/** Where a network printer listens for raw ESC/POS: a host and TCP port (9100 by default). */
public record PrinterAddress(String host, int port) {
  /** The raw printing port (JetDirect / AppSocket) network printers listen on. */
  public static final int DEFAULT_PORT = 9100;

  public PrinterAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("a printer address needs a host");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("printer port must be 1 to 65535, was " + port);
    }
  }

  /**
   * A printer's {@code ip_address} config field: {@code "192.168.1.50"} (port 9100) or {@code
   * "192.168.1.50:9101"}.
   *
   * @throws IllegalArgumentException naming the value when it is not host or host:port
   */
  public static PrinterAddress parse(String ipAddress) {
    if (ipAddress == null || ipAddress.isBlank()) {
      throw new IllegalArgumentException(
          "the printer has no ip_address: set it in the printers config");
    }
    String s = ipAddress.strip();
    int colon = s.lastIndexOf(':');
    if (colon < 0 || s.indexOf(':') != colon) { // no port, or a bare IPv6 address
      return new PrinterAddress(s, DEFAULT_PORT);
    }
    try {
      return new PrinterAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "printer ip_address '" + ipAddress + "' is not host or host:port", e);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
