package dev.olympus.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.olympus.cloud.HttpClientSupport.Resp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Stopping the cloud answers the requests it is serving before it closes the database. */
class CloudShutdownTest {
  @TempDir Path dataDir;

  @Test
  void a_waiting_long_poll_is_answered_when_the_cloud_stops_and_nothing_fails_after()
      throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    root.addAppender(events);
    try {
      CloudServer server =
          CloudServer.start(
              CloudSettings.defaults(dataDir).withHost("127.0.0.1").withAdminToken("admin"));
      var http = new HttpClientSupport(server.port());
      http.call("POST", "/api/v1/admin/tenants", "admin", "{\"id\":\"t1\",\"name\":\"Burgers\"}");
      http.call(
          "POST",
          "/api/v1/admin/tenants/t1/locations",
          "admin",
          "{\"id\":\"loc-1\",\"name\":\"Downtown\"}");
      String token =
          http.call(
                  "POST",
                  "/api/v1/admin/tenants/t1/locations/loc-1/devices",
                  "admin",
                  "{\"device_id\":\"edge-1\",\"device_type\":\"olympus_edge\"}")
              .json()
              .get("token")
              .asText();
      long latest =
          http.call("GET", "/api/v1/sync/notifications?timeout_ms=0", token, null)
              .json()
              .get("latest_seq")
              .asLong();
      CompletableFuture<Resp> poll =
          CompletableFuture.supplyAsync(
              () ->
                  http.call(
                      "GET",
                      "/api/v1/sync/notifications?after_seq=" + latest + "&timeout_ms=20000",
                      token,
                      null));
      Thread.sleep(300); // the long-poll is waiting in the cloud

      long started = System.nanoTime();
      server.close();
      Duration closing = Duration.ofNanos(System.nanoTime() - started);

      Resp answer = poll.get(5, TimeUnit.SECONDS);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().get("latest_seq").asLong()).isEqualTo(latest);
      assertThat(closing).isLessThan(Duration.ofSeconds(4));
      Thread.sleep(200); // anything the request would do after the close has had its chance
    } finally {
      root.detachAppender(events);
    }
    assertThat(events.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEmpty();
  }
}
