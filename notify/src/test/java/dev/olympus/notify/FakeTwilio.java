package dev.olympus.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server that speaks the part of Twilio's REST API the notifier uses: it records
 * message creations (form fields and auth) and lists the messages it accepted.
 */
final class FakeTwilio implements AutoCloseable {
  static final String SID = "AC0123456789abcdef";
  static final String TOKEN = "secret-token";
  static final String FROM = "+15550000000";

  /** A message creation as received. */
  record Request(String authorization, String contentType, Map<String, String> form) {}

  /** A message the fake accepted. */
  record Message(String sid, String to, String from, String body) {}

  private final HttpServer server;
  private final List<Request> creations = new CopyOnWriteArrayList<>();
  private final List<Message> accepted = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> scriptedStatuses = new ConcurrentLinkedQueue<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final AtomicInteger nextSid = new AtomicInteger();

  FakeTwilio() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/2010-04-01/Accounts/" + SID + "/Messages.json", this::handle);
    server.start();
  }

  NotifySettings.TwilioSettings settings() {
    return new NotifySettings.TwilioSettings(SID, TOKEN, FROM, baseUrl());
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next creations answer these statuses instead of 201 (the message is then not kept). */
  void failNext(int... statuses) {
    for (int s : statuses) {
      scriptedStatuses.add(s);
    }
  }

  /** A message the provider already holds, as if an earlier process had sent it. */
  void preload(String to, String body) {
    accepted.add(new Message("SMpre" + nextSid.incrementAndGet(), to, FROM, body));
  }

  List<Request> creations() {
    return List.copyOf(creations);
  }

  List<Message> accepted() {
    return List.copyOf(accepted);
  }

  int lookups() {
    return lookups.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if ("GET".equals(ex.getRequestMethod())) {
        lookups.incrementAndGet();
        Map<String, String> q = parse(ex.getRequestURI().getRawQuery());
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = accepted.size() - 1; i >= 0; i--) {
          Message m = accepted.get(i);
          if (m.to().equals(q.get("To"))) {
            out.add(Map.of("sid", m.sid(), "to", m.to(), "from", m.from(), "body", m.body()));
          }
        }
        respond(ex, 200, AlertJson.write(Map.of("messages", out)));
        return;
      }
      Map<String, String> form =
          parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      creations.add(
          new Request(
              ex.getRequestHeaders().getFirst("Authorization"),
              ex.getRequestHeaders().getFirst("Content-Type"),
              form));
      Integer scripted = scriptedStatuses.poll();
      if (scripted != null) {
        respond(ex, scripted, "{\"code\":20500,\"message\":\"scripted failure\"}");
        return;
      }
      String sid = "SM" + String.format("%032d", nextSid.incrementAndGet());
      accepted.add(new Message(sid, form.get("To"), form.get("From"), form.get("Body")));
      respond(
          ex, 201, AlertJson.write(Map.of("sid", sid, "status", "queued", "to", form.get("To"))));
    }
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  static Map<String, String> parse(String encoded) {
    Map<String, String> out = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return out;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
