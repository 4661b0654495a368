package dev.olympus.web.realtime;

import java.util.Objects;

/** The tier's answer to a {@link Handshake}: the device, or a refusal with its close code. */
public sealed interface Admission {
  /** The device may connect. */
  record Admitted(SocketPrincipal principal) implements Admission {
    public Admitted {
      Objects.requireNonNull(principal, "principal");
    }
  }

  /**
   * The device may not connect: the socket is closed with {@code closeCode} and {@code reason}.
   *
   * @param closeCode {@link CloseCodes#UNAUTHORIZED} (no or unknown token), {@link
   *     CloseCodes#FORBIDDEN} (the token is not that restaurant's or device's) or {@link
   *     CloseCodes#BAD_REQUEST}
   * @param reason a sentence a person can act on (Jetty keeps at most 123 bytes of it)
   */
  record Refused(int closeCode, String reason) implements Admission {
    public Refused {
      if (closeCode < 4000 || closeCode > 4999) {
        throw new IllegalArgumentException(
            "a refusal closes with an application code 4000-4999, was " + closeCode);
      }
      Objects.requireNonNull(reason, "reason");
    }
  }

  static Admission admitted(SocketPrincipal principal) {
    return new Admitted(principal);
  }

  static Admission unauthorized(String reason) {
    return new Refused(CloseCodes.UNAUTHORIZED, reason);
  }

  static Admission forbidden(String reason) {
    return new Refused(CloseCodes.FORBIDDEN, reason);
  }
}
