package dev.olympus.web.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP forwarder on loopback that can be cut and restored, standing in for a restaurant's internet
 * link: while cut it refuses new connections and severs the open ones, as a dead uplink does.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

  private final String name;
  private final InetSocketAddress target;
  private final ServerSocket server;
  private final AtomicBoolean up = new AtomicBoolean(true);
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param name for log lines, e.g. the location's name
   * @param targetPort the port on loopback to forward to
   */
  public TcpProxy(String name, int targetPort) throws IOException {
    this.name = name;
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("proxy-" + name).start(this::acceptLoop);
  }

  /** The port to connect to instead of the target's. */
  public int port() {
    return server.getLocalPort();
  }

  /** Whether the link is up. */
  public boolean isUp() {
    return up.get();
  }

  /** Cuts the link: open connections are severed, new ones refused until {@link #restore()}. */
  public void cut() {
    if (up.compareAndSet(true, false)) {
      log.info("{} - link to the cloud cut", name);
      for (Socket s : open) {
        closeQuietly(s);
      }
    }
  }

  /** Restores the link. */
  public void restore() {
    if (up.compareAndSet(false, true)) {
      log.info("{} - link to the cloud restored", name);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        if (!up.get()) {
          closeQuietly(client);
          continue;
        }
        Socket upstream = new Socket();
        upstream.connect(target, 2_000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        open.add(client);
        open.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
      } catch (IOException e) {
        if (!closed) {
          log.debug("{} - proxy accept failed: {}", name, e.getMessage());
        }
      }
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
      // One side went away (or the link was cut): close both.
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
