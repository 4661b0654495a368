package dev.olympus.web.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * What a server does with a body it refuses as too large: it reads what is left of it (up to a
 * bound) before answering 413. A client still sending when the server answers and closes gets a
 * connection reset instead of the answer. Past the bound the connection is simply closed.
 */
public final class OversizedBody {
  private OversizedBody() {}

  /**
   * Reads and drops the rest of {@code in} when {@code declaredLength} (-1: not declared) is at
   * most {@code bound}, reading no more than {@code bound} bytes; a client that goes away is fine.
   */
  public static void discard(InputStream in, long declaredLength, long bound) {
    if (declaredLength > bound) {
      return;
    }
    try {
      byte[] sink = new byte[8192];
      long drained = 0;
      int n;
      while (drained <= bound && (n = in.read(sink)) > 0) {
        drained += n;
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or sent less: the 413 is still the answer.
    }
  }
}
