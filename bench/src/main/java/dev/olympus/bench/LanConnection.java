package dev.olympus.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;

/**
 * A POS terminal's keep-alive connection to the edge's LAN API, one request at a time, as a
 * terminal's HTTP client sends them: its device token on every request and, as the SDK does, an
 * {@code Idempotency-Key} on every write. Blocking and written straight to the socket ({@link
 * Http1Wire}), so what is measured is the edge and not a client's thread hand-offs. A broken
 * connection fails the request it was carrying and is opened again for the next.
 */
final class LanConnection implements AutoCloseable {
  private final String host;
  private final int port;
  private final String token;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  LanConnection(String host, int port, String token) {
    this.host = host;
    this.port = port;
    this.token = token;
  }

  /** {@code POST path} with a JSON body and a fresh Idempotency-Key; the answer, any status. */
  Http1Wire.Response post(String path, String json) throws IOException {
    String headers =
        "Authorization: Bearer " + token + "\r\nIdempotency-Key: " + UUID.randomUUID() + "\r\n";
    try {
      if (socket == null) {
        open();
      }
      out.write(Http1Wire.request("POST", path, host + ":" + port, headers, json));
      return Http1Wire.readResponse(in, true);
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void open() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
