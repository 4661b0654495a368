package dev.olympus.edge.kitchen;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A network printer on loopback: accepts raw TCP connections and records each connection's bytes as
 * one received job. It can be switched off (the port refuses connections) and on again on the same
 * port.
 */
final class TestPrinter implements AutoCloseable {
  private final List<byte[]> received = new ArrayList<>(); // guarded by itself
  private final int port;
  private ServerSocket server;
  private Thread acceptor;

  TestPrinter() throws IOException {
    server = bind(0);
    port = server.getLocalPort();
    accept();
  }

  PrinterAddress address() {
    return new PrinterAddress("127.0.0.1", port);
  }

  List<byte[]> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The received jobs as text (tickets in these tests are plain ASCII). */
  List<String> receivedText() {
    return received().stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
  }

  synchronized void turnOff() throws IOException {
    server.close();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized void turnOn() throws IOException {
    server = bind(port);
    accept();
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private void accept() {
    ServerSocket s = server;
    acceptor =
        Thread.ofPlatform()
            .daemon()
            .name("test-printer")
            .start(
                () -> {
                  while (!s.isClosed()) {
                    try (Socket c = s.accept();
                        InputStream in = c.getInputStream()) {
                      byte[] job = in.readAllBytes();
                      synchronized (received) {
                        received.add(job);
                      }
                    } catch (IOException e) {
                      // closed: the printer is off
                    }
                  }
                });
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
