package dev.olympus.edge.testing;

import com.sun.net.httpserver.HttpServer;
import dev.olympus.notify.NotifySettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server speaking Twilio's Messages API for account {@code AC1}: each text the edge
 * sends is recorded (its form body, decoded) and answered as Twilio would ({@code 201}, a message
 * sid); a GET answers an empty list.
 */
public final class TwilioRecorder implements AutoCloseable {
  /** The texts received, oldest first. */
  public final List<String> texts = new CopyOnWriteArrayList<>();

  private final HttpServer server;

  private TwilioRecorder(HttpServer server) {
    this.server = server;
  }

  public static TwilioRecorder start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    TwilioRecorder recorder = new TwilioRecorder(server);
    server.createContext(
        "/2010-04-01/Accounts/AC1/Messages.json",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          byte[] answer;
          int status;
          if (exchange.getRequestMethod().equals("POST")) {
            recorder.texts.add(URLDecoder.decode(body, StandardCharsets.UTF_8));
            answer =
                ("{\"sid\":\"SM" + recorder.texts.size() + "\",\"status\":\"queued\"}").getBytes();
            status = 201;
          } else {
            answer = "{\"messages\":[]}".getBytes();
            status = 200;
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    return recorder;
  }

  /** Notification settings that send texts here. */
  public NotifySettings settings() {
    return NotifySettings.none()
        .withTwilio(
            new NotifySettings.TwilioSettings(
                "AC1",
                "token",
                "+15559999",
                URI.create("http://127.0.0.1:" + server.getAddress().getPort())));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
