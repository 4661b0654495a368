package dev.olympus.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 as the load generators write it straight to sockets: a request's bytes, and a response
 * read back (Content-Length or chunked). A general HTTP client would measure itself: the generators
 * share the two cores with the servers they measure, and {@code java.net.http}'s asynchronous
 * client spends more CPU per request (several thread hand-offs each) than the edge storing it.
 */
final class Http1Wire {
  private Http1Wire() {}

  /** A response's status and, when asked for, its body. */
  record Response(int status, String body) {}

  /** One request with a JSON body (or none, when {@code json} is null). */
  static byte[] request(String method, String path, String host, String headers, String json) {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\n"
            + headers
            + (json == null ? "" : "Content-Type: application/json\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return request;
  }

  /** Reads one response; its body is kept only when {@code keepBody}. */
  static Response readResponse(InputStream in, boolean keepBody) throws IOException {
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
    ByteArrayOutputStream body = keepBody ? new ByteArrayOutputStream() : null;
    if (!chunked) {
      read(in, length, body);
    } else {
      long chunk;
      while ((chunk = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0) {
        read(in, chunk, body);
        line(in);
      }
      while (!line(in).isEmpty()) {
        // trailers
      }
    }
    return new Response(status, keepBody ? body.toString(StandardCharsets.UTF_8) : null);
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

  /** Reads {@code n} bytes into {@code into}, or skips them when it is null. */
  private static void read(InputStream in, long n, ByteArrayOutputStream into) throws IOException {
    byte[] buffer = into == null ? null : new byte[(int) Math.min(n, 8192)];
    while (n > 0) {
      long got;
      if (into == null) {
        got = in.skip(n);
        if (got <= 0) {
          if (in.read() < 0) {
            throw new EOFException("the server closed the connection");
          }
          got = 1;
        }
      } else {
        got = in.read(buffer, 0, (int) Math.min(n, buffer.length));
        if (got < 0) {
          throw new EOFException("the server closed the connection");
        }
        into.write(buffer, 0, (int) got);
      }
      n -= got;
    }
  }
}
