package dev.olympus.edge.integration;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The restaurant's internet link in a test: a TCP forwarder on loopback from the edge to the cloud
 * that can be cut and restored. While cut it refuses new connections and severs the open ones, as a
 * dead uplink does. (The same idea as the demo's {@code TcpProxy}.)
 */
final class Uplink implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean up = true;
  private volatile boolean closed;

  /** Forwards to {@code targetPort} on loopback, listening on a free port of its own. */
  Uplink(int targetPort) throws IOException {
    target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("uplink-accept").start(this::acceptLoop);
  }

  /** Where the edge reaches the cloud through this link. */
  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Cuts the link: open connections are severed, new ones refused until {@link #restore()}. */
  void cut() {
    up = false;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  void restore() {
    up = true;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        continue; // closed, or a failed accept: the loop condition decides
      }
      if (!up) {
        closeQuietly(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 2_000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      open.add(client);
      open.add(upstream);
      Thread.ofVirtual().start(() -> pump(client, upstream));
      Thread.ofVirtual().start(() -> pump(upstream, client));
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away, or the link was cut: close both.
    } finally {
      open.remove(from);
      open.remove(to);
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : open) {
      closeQuietly(s);
    }
  }
}
