package dev.olympus.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * An open-loop writer for the records API: {@code PUT}s at a fixed rate over a fixed set of
 * keep-alive HTTP/1.1 connections, with requests pipelined on each one, as a busy terminal's
 * connection pool would. Each write has an intended send time; when the server falls behind, later
 * writes still go out on schedule and queue at the server, so a slow server shows as latency (from
 * the intended time), not as fewer writes.
 *
 * <p>It writes the protocol straight to sockets, not through a general HTTP client: the generator
 * shares the two cores with the servers it measures, and {@code java.net.http}'s asynchronous
 * client spent more CPU per request (several thread hand-offs each) than the edge storing it, and
 * opened a new connection for every request once the server lagged.
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
    double period = 1e9 / rate;
    long start = System.nanoTime();
    for (int i = first; i < end; i++) {
      long due = start + (long) ((i - first) * period);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      intendedAt[i] = due;
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
      byte[] body = put.json().getBytes(StandardCharsets.UTF_8);
      String head =
          "PUT "
              + put.path()
              + " HTTP/1.1\r\nHost: "
              + host
              + "\r\nAuthorization: Bearer "
              + put.token()
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length
              + "\r\n\r\n";
      synchronized (inFlight) {
        inFlight.add(index);
      }
      byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
      byte[] request = new byte[headBytes.length + body.length];
      System.arraycopy(headBytes, 0, request, 0, headBytes.length);
      System.arraycopy(body, 0, request, headBytes.length, body.length);
      out.write(request);
    }

    private void readAnswers() {
      try {
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        while (true) {
          int status = readResponse(in);
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

    /** Reads one response (Content-Length or chunked body) and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
      String statusLine = line(in);
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = 0;
      boolean chunked = false;
      String header;
      while (!(header = line(in)).isEmpty()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      if (!chunked) {
        skip(in, length);
        return status;
      }
      long chunk;
      while ((chunk = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0) {
        skip(in, chunk);
        line(in);
      }
      while (!line(in).isEmpty()) {
        // trailers
      }
      return status;
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder s = new StringBuilder(64);
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new EOFException("the server closed the connection");
        }
        if (c != '\r') {
          s.append((char) c);
        }
      }
      return s.toString();
    }

    private static void skip(InputStream in, long n) throws IOException {
      while (n > 0) {
        long skipped = in.skip(n);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new EOFException("the server closed the connection");
          }
          skipped = 1;
        }
        n -= skipped;
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
