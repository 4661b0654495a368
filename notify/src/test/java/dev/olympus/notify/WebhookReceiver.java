package dev.olympus.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A local HTTP server that records the webhook calls it receives. */
final class WebhookReceiver implements AutoCloseable {
  /** One call: its headers of interest and raw body. */
  record Call(String event, String delivery, String signature, byte[] body) {}

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        ex -> {
          try (ex) {
            calls.add(
                new Call(
                    ex.getRequestHeaders().getFirst("X-Olympus-Event"),
                    ex.getRequestHeaders().getFirst("X-Olympus-Delivery"),
                    ex.getRequestHeaders().getFirst("X-Olympus-Signature"),
                    ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
          }
        });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
