package dev.olympus.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/** Clients and data for the tests: millisecond timers, restaurant r1, token "token-r1". */
final class TestClients {
  private TestClients() {}

  static OlympusClient.Builder fast(Path dir, String... endpoints) {
    return OlympusClient.builder()
        .endpoints(endpoints)
        .deviceToken("token-r1")
        .deviceId("pos-1")
        .restaurantId("r1")
        .userId("u1")
        .stateDirectory(dir)
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .heartbeatInterval(Duration.ofMillis(500))
        .probeInterval(Duration.ofMillis(100))
        .connectTimeout(Duration.ofMillis(500))
        .random(new Random(7));
  }

  static TestChangeLog.Entry order(TestChangeLog log, String id, int n) {
    return log.write("r1", "orders", id, Map.of("n", n), false, "test", "updated");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
