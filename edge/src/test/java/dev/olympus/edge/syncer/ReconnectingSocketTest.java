package dev.olympus.edge.syncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javalin.Javalin;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ReconnectingSocketTest {
  final AtomicInteger connects = new AtomicInteger();
  final List<String> texts = new CopyOnWriteArrayList<>();
  final List<Long> opened = new CopyOnWriteArrayList<>();
  Javalin cloud;
  ReconnectingSocket socket;

  @AfterEach
  void stop() {
    if (socket != null) {
      socket.close();
    }
    if (cloud != null) {
      cloud.stop();
    }
  }

  /**
   * A cloud whose {@code /ws} runs {@code onConnect} for every socket and ignores what it hears.
   */
  void startCloud(Consumer<io.javalin.websocket.WsConnectContext> onConnect) {
    cloud =
        Javalin.create(
                config ->
                    config.routes.ws(
                        "/ws",
                        ws ->
                            ws.onConnect(
                                ctx -> {
                                  connects.incrementAndGet();
                                  onConnect.accept(ctx);
                                })))
            .start("127.0.0.1", 0);
  }

  void startSocket(ReconnectingSocket.Ping ping, Duration pingEvery, Duration silenceLimit) {
    socket =
        new ReconnectingSocket(
            "test channel",
            LoggerFactory.getLogger(ReconnectingSocketTest.class),
            "test-socket",
            () ->
                ReconnectingSocket.socketUri(URI.create("http://127.0.0.1:" + cloud.port()), "/ws"),
            "Bearer t",
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), new Random(1)),
            ping,
            new ReconnectingSocket.Handler() {
              @Override
              public void onOpen(long attempt) {
                opened.add(attempt);
                socket.markUp(attempt, pingEvery, silenceLimit);
              }

              @Override
              public void onText(long attempt, String text) {
                texts.add(text);
              }
            });
    socket.start();
  }

  @Test
  void socketUri_httpsAndTrailingSlash_becomesWss() {
    assertThat(ReconnectingSocket.socketUri(URI.create("https://cloud.example.com/"), "/ws/x?a=1"))
        .hasToString("wss://cloud.example.com/ws/x?a=1");
    assertThat(ReconnectingSocket.socketUri(URI.create("http://127.0.0.1:8080"), "/ws"))
        .hasToString("ws://127.0.0.1:8080/ws");
  }

  @Test
  void tick_silentCloud_dropsTheSocketAndReconnects_andTheOldAttemptIsStale() {
    startCloud(ctx -> {}); // never answers a text ping
    startSocket(ReconnectingSocket.Ping.TEXT_FRAME, Duration.ofMillis(30), Duration.ofMillis(150));

    await().atMost(Duration.ofSeconds(5)).until(() -> opened.size() >= 2);
    assertThat(socket.markUp(opened.get(0), Duration.ofMillis(30), Duration.ofMillis(150)))
        .isFalse();
  }

  @Test
  void tick_controlPingsAnsweredWithPongs_keepTheSocketUp() throws Exception {
    startCloud(ctx -> {}); // the server answers pings with pongs by itself
    startSocket(
        ReconnectingSocket.Ping.CONTROL_FRAME, Duration.ofMillis(30), Duration.ofMillis(300));

    await().atMost(Duration.ofSeconds(5)).until(socket::up);
    Thread.sleep(800);
    assertThat(socket.up()).isTrue();
    assertThat(connects).hasValue(1);
  }

  @Test
  void onText_largeFrameThenClose_arrivesWhole_andReconnectsUntilClosed() throws Exception {
    String big = "x".repeat(300_000);
    startCloud(
        ctx -> {
          ctx.send(big);
          ctx.closeSession(1001, "going away");
        });
    startSocket(ReconnectingSocket.Ping.TEXT_FRAME, Duration.ofSeconds(30), Duration.ofSeconds(60));

    await().atMost(Duration.ofSeconds(5)).until(() -> connects.get() >= 3);
    assertThat(texts).isNotEmpty().allSatisfy(t -> assertThat(t).hasSize(big.length()));

    socket.close();
    Thread.sleep(100); // a connect already on the wire may still land
    int after = connects.get();
    Thread.sleep(300);
    assertThat(connects).hasValue(after);
    assertThat(socket.up()).isFalse();
  }
}
