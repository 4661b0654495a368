package dev.olympus.web.realtime;

/** The WebSocket close codes of {@code /ws/sync} (docs/realtime.md). */
public final class CloseCodes {
  /** The server is shutting down. */
  public static final int GOING_AWAY = 1001;

  /** A frame from the client was larger than {@link SyncSocketHub#MAX_FRAME_BYTES}. */
  public static final int TOO_BIG = 1009;

  /** Missing or invalid query parameters. */
  public static final int BAD_REQUEST = 4400;

  /** No token, or an unknown or revoked one. */
  public static final int UNAUTHORIZED = 4401;

  /** The token does not belong to that restaurant or device. */
  public static final int FORBIDDEN = 4403;

  /** The client sent nothing (not even a ping or pong) for two heartbeats. */
  public static final int SILENT = 4408;

  /** The client kept sending frames the server cannot read. */
  public static final int TOO_MANY_ERRORS = 4429;

  private CloseCodes() {}
}
