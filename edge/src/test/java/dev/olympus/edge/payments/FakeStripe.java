package dev.olympus.edge.payments;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Stripe's PaymentIntents API that records what it receives and answers as
 * Stripe does: test payment methods {@code pm_card_visa} (succeeds) and {@code
 * pm_card_chargeDeclined…} (402 card_error), 401 for a wrong key, and a repeated Idempotency-Key
 * replayed with the first answer (400 idempotency_error when the parameters differ).
 */
final class FakeStripe implements AutoCloseable {
  static final String SECRET_KEY = "sk_test_olympus_0123456789";

  /** One request as received. */
  record Received(
      String method, String path, Map<String, String> headers, Map<String, String> form) {
    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  private record Answer(Map<String, String> form, int status, String body) {}

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Map<String, Answer> byKey = new ConcurrentHashMap<>();
  private final AtomicInteger charges = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile boolean down;

  FakeStripe() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Successful PaymentIntents created: money actually taken. */
  int charges() {
    return charges.get();
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /** While down, connections are dropped without an answer, like a dead network. */
  void setDown(boolean down) {
    this.down = down;
  }

  private void handle(HttpExchange ex) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
    Map<String, String> form =
        parseForm(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    synchronized (this) {
      received.add(
          new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, form));
    }
    if (down) {
      ex.close(); // no status line: the client sees the connection drop
      return;
    }
    if (!("Bearer " + SECRET_KEY).equals(headers.get("authorization"))) {
      send(
          ex,
          401,
          error("invalid_request_error", null, null, "Invalid API Key provided", null),
          false);
      return;
    }
    if (!ex.getRequestMethod().equals("POST")
        || !ex.getRequestURI().getPath().equals("/v1/payment_intents")) {
      send(
          ex,
          404,
          error("invalid_request_error", null, null, "Unrecognized request URL", null),
          false);
      return;
    }
    String key = headers.get("idempotency-key");
    if (key != null) {
      Answer first = byKey.get(key);
      if (first != null) {
        if (!first.form().equals(form)) {
          send(
              ex,
              400,
              error(
                  "idempotency_error",
                  null,
                  null,
                  "Keys for idempotent requests can only be used with the same parameters they"
                      + " were first used with.",
                  null),
              false);
        } else {
          send(ex, first.status(), first.body(), true);
        }
        return;
      }
    }
    Answer answer = create(form);
    if (key != null) {
      byKey.put(key, answer);
    }
    send(ex, answer.status(), answer.body(), false);
  }

  private Answer create(Map<String, String> form) {
    for (String required : List.of("amount", "currency")) {
      if (!form.containsKey(required)) {
        return new Answer(
            form,
            400,
            error(
                "invalid_request_error",
                "parameter_missing",
                null,
                "Missing required param: " + required + ".",
                null));
      }
    }
    String pm = form.getOrDefault("payment_method", "");
    String id = "pi_fake" + ids.incrementAndGet();
    if (pm.equals("pm_card_visa")) {
      charges.incrementAndGet();
      String status =
          "manual".equals(form.get("capture_method")) ? "requires_capture" : "succeeded";
      return new Answer(
          form,
          200,
          "{\"id\":\""
              + id
              + "\",\"object\":\"payment_intent\",\"amount\":"
              + form.get("amount")
              + ",\"currency\":\""
              + form.get("currency")
              + "\",\"status\":\""
              + status
              + "\",\"metadata\":{\"order_id\":\""
              + form.get("metadata[order_id]")
              + "\"}}");
    }
    if (pm.startsWith("pm_card_chargeDeclined")) {
      boolean funds = pm.endsWith("InsufficientFunds");
      return new Answer(
          form,
          402,
          error(
              "card_error",
              "card_declined",
              funds ? "insufficient_funds" : "generic_decline",
              funds ? "Your card has insufficient funds." : "Your card was declined.",
              id));
    }
    return new Answer(
        form,
        400,
        error(
            "invalid_request_error",
            "resource_missing",
            null,
            "No such PaymentMethod: '" + pm + "'",
            null));
  }

  private static String error(
      String type, String code, String declineCode, String message, String paymentIntent) {
    StringBuilder b = new StringBuilder("{\"error\":{\"type\":\"").append(type).append('"');
    if (code != null) {
      b.append(",\"code\":\"").append(code).append('"');
    }
    if (declineCode != null) {
      b.append(",\"decline_code\":\"").append(declineCode).append('"');
    }
    b.append(",\"message\":\"").append(message.replace("\"", "\\\"")).append('"');
    if (paymentIntent != null) {
      b.append(",\"payment_intent\":{\"id\":\"")
          .append(paymentIntent)
          .append("\",\"status\":\"requires_payment_method\"}");
    }
    return b.append("}}").toString();
  }

  private static void send(HttpExchange ex, int status, String body, boolean replayed)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (replayed) {
      ex.getResponseHeaders().set("Idempotent-Replayed", "true");
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (var out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(k, v);
    }
    return form;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
