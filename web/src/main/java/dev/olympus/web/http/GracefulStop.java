package dev.olympus.web.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a stopping server finish the requests it is serving before it closes what they use. Jetty's
 * own stop cuts the connections at once while the handlers run on, so a request still at work met a
 * closed database (a 500 and an error in the log).
 *
 * <p>{@link #stop} refuses new requests with 503, waits (up to five seconds) for those in flight to
 * answer, then stops the server. Requests that wait on purpose (long-polls) must be woken first,
 * and WebSockets closed, or it waits for them until its bound. Jetty's graceful stop (a stop
 * timeout) would do the same but also waits for every idle keep-alive connection, about a second
 * per stop.
 */
public final class GracefulStop {
  private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

  /** How long a stop waits for the requests in flight. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final GracefulHandler handler = new GracefulHandler();

  /** Counts the requests of the server {@code config} builds. */
  public void install(JavalinConfig config) {
    // Javalin puts its servlet handler inside the handler already set on the server.
    config.jetty.modifyServer(server -> server.setHandler(handler));
  }

  /** Refuses new requests, lets those in flight answer, then stops {@code app}. */
  public void stop(Javalin app) {
    finishRequests();
    app.stop();
  }

  private void finishRequests() {
    try {
      handler.shutdown().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "{} request(s) still running after {} s; stopping anyway",
          handler.getCurrentRequestCount(),
          TIMEOUT.toSeconds());
    } catch (ExecutionException e) {
      log.warn("waiting for the requests in flight failed; stopping anyway", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
