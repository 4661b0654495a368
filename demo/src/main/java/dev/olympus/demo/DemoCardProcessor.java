package dev.olympus.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's stand-in for Stripe, on loopback: it answers the edges' {@code POST
 * /v1/payment_intents} the way Stripe answers a confirmed card payment, and a repeated {@code
 * Idempotency-Key} with the first answer. No money moves; it only lets the demo's card payments
 * settle, so their offline exposure is paid down as it would be in a restaurant.
 */
final class DemoCardProcessor implements AutoCloseable {
  static final String SECRET_KEY = "sk_test_olympus_demo";

  private final HttpServer server;
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final AtomicLong charges = new AtomicLong();

  DemoCardProcessor() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/payment_intents", this::paymentIntent);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void paymentIntent(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, error("invalid_request_error", "POST only"), false);
        return;
      }
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (!("Bearer " + SECRET_KEY).equals(auth)) {
        answer(exchange, 401, error("invalid_request_error", "Invalid API Key provided"), false);
        return;
      }
      Map<String, String> form =
          form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (key != null && answers.containsKey(key)) {
        answer(exchange, 200, answers.get(key), true);
        return;
      }
      String amount = form.getOrDefault("amount", "0");
      if (!amount.matches("[0-9]{1,12}")) {
        answer(exchange, 400, error("invalid_request_error", "amount: an integer of cents"), false);
        return;
      }
      String body =
          "{\"id\":\"pi_demo_%d\",\"object\":\"payment_intent\",\"amount\":%s,\"currency\":\"%s\",\"status\":\"succeeded\"}"
              .formatted(charges.incrementAndGet(), amount, form.getOrDefault("currency", "usd"));
      if (key != null) {
        answers.put(key, body);
      }
      answer(exchange, 200, body, false);
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String error(String type, String message) {
    return "{\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
  }

  private static void answer(HttpExchange exchange, int status, String body, boolean replayed)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (replayed) {
      exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
