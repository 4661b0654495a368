package dev.olympus.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An open-loop writer for the records API: {@code PUT}s at a fixed rate over a fixed set of
 * keep-alive HTTP/1.1 connections, with requests pipelined on each one, as a busy terminal's
 * connection pool would. Each write has an intended send time; when the server falls behind, later
 * writes still go out on schedule and queue at the server, so a slow server shows as latency (from
 * the intended time), not as fewer writes.
 *
 * <p>It writes the protocol straight to sockets ({@link Http1Wire}): {@code java.net.http}'s
 * asynchronous client also opened a new connection for every request once the server lagged.
 */
final class HttpPutLoad implements AutoCloseable {
  /**
   * Called when write {@code index}'s answer arrives: its status, or -1 when the connection broke.
   */
  interface Answer {
    void answered(int index, int status);
  }

  private final List<Connection> connections = new ArrayList<>();
  final AtomicInteger failed = new AtomicInteger();

  HttpPutLoad(String host, int port, int connectionCount, Answer answer) throws IOException {
    for (int i = 0; i < connectionCount; i++) {
      connections.add(new Connection(host, port, answer, failed));
    }
  }

  /**
   * Sends writes {@code first} to {@code end - 1}, {@code rate} per second from now: write {@code
   * i} goes out on connection {@code i % connections}, with the path and body {@code request}
   * gives. {@code intendedAt[i]} is set to its intended send time just before.
   */
  void run(int first, int end, int rate, long[] intendedAt, IntFunction<Put> request)
      throws IOException {
    long start = System.nanoTime();
    for (int i = first; i < end; i++) {
      intendedAt[i] = OpenLoop.awaitDue(start, i - first, rate);
      connections.get(i % connections.size()).send(i, request.apply(i));
    }
  }

  /** One write: its path under the server, its headers' token and its JSON body. */
  record Put(String path, String token, String json) {}

  @Override
  public void close() {
    connections.forEach(Connection::close);
  }

  /** A connection: the pacer writes requests; a reader thread of its own reads the answers. */
  private static final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final String host;
    private final ArrayDeque<Integer> inFlight = new ArrayDeque<>();
    private final Answer answer;
    private final AtomicInteger failed;
    private volatile boolean closed;

    Connection(String host, int port, Answer answer, AtomicInteger failed) throws IOException {
      this.host = host + ":" + port;
      this.answer = answer;
      this.failed = failed;
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      out = socket.getOutputStream();
      Thread reader = new Thread(this::readAnswers, "http-load-reader");
      reader.setDaemon(true);
      reader.start();
    }

    void send(int index, Put put) throws IOException {
      byte[] request =
          Http1Wire.request(
              "PUT", put.path(), host, "Authorization: Bearer " + put.token() + "\r\n", put.json());
      synchronized (inFlight) {
        inFlight.add(index);
      }
      out.write(request);
    }

    private void readAnswers() {
      try {
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        while (true) {
          int status = Http1Wire.readResponse(in, false).status();
          Integer index;
          synchronized (inFlight) {
            index = inFlight.poll();
          }
          if (index == null) {
            throw new IOException("an answer to no request");
          }
          answer.answered(index, status);
        }
      } catch (IOException e) {
        if (!closed) {
          System.out.println("write connection broke: " + e);
        }
        synchronized (inFlight) {
          for (Integer index : inFlight) {
            failed.incrementAndGet();
            answer.answered(index, -1);
          }
          inFlight.clear();
        }
      }
    }

    void close() {
      closed = true;
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
