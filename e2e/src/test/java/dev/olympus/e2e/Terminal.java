package dev.olympus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.olympus.client.Change;
import dev.olympus.client.ConnectionState;
import dev.olympus.client.ConnectionStatus;
import dev.olympus.client.OlympusClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A terminal running the SDK ({@link OlympusClient}) against real servers, recording what its
 * listeners were given, in delivery order: every change, the typed order and table listeners apart,
 * and every connection status. Timers are short so failovers take a second, not minutes.
 */
final class Terminal implements AutoCloseable {
  final String name;
  final OlympusClient client;
  private final List<Change> changes = new ArrayList<>();
  private final List<Change> orders = new ArrayList<>();
  private final List<Change> tables = new ArrayList<>();
  private final List<ConnectionStatus> statuses = new ArrayList<>();

  private Terminal(String name, OlympusClient client) {
    this.name = name;
    this.client = client;
  }

  /** Builds, subscribes and starts a client of {@code restaurantId} on {@code endpoints}. */
  static Terminal start(
      String name,
      Path stateDir,
      String token,
      String deviceId,
      String restaurantId,
      String... endpoints) {
    OlympusClient client =
        OlympusClient.builder()
            .endpoints(endpoints)
            .deviceToken(token)
            .deviceId(deviceId)
            .restaurantId(restaurantId)
            .userId("user-" + name)
            .stateDirectory(stateDir)
            .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
            .probeInterval(Duration.ofMillis(500))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    Terminal t = new Terminal(name, client);
    client.allChanges(c -> t.add(t.changes, c));
    client.orderUpdates(c -> t.add(t.orders, c));
    client.tableUpdates(c -> t.add(t.tables, c));
    client.onConnectionChange(
        s -> {
          synchronized (t) {
            t.statuses.add(s);
          }
        });
    client.start();
    return t;
  }

  private synchronized void add(List<Change> list, Change c) {
    list.add(c);
  }

  synchronized List<Change> changes() {
    return List.copyOf(changes);
  }

  synchronized List<Change> orderUpdates() {
    return List.copyOf(orders);
  }

  synchronized List<Change> tableUpdates() {
    return List.copyOf(tables);
  }

  synchronized List<ConnectionStatus> statuses() {
    return List.copyOf(statuses);
  }

  /** Whether a delivered change matches. */
  synchronized boolean saw(Predicate<Change> p) {
    return changes.stream().anyMatch(p);
  }

  /** The last delivered change of each record, by "collection/id". */
  synchronized Map<String, Change> latestByRecord() {
    Map<String, Change> latest = new HashMap<>();
    for (Change c : changes) {
      latest.put(c.collection() + "/" + c.id(), c);
    }
    return latest;
  }

  void awaitConnectedTo(String baseUrl, Duration atMost) {
    await(name + " connected to " + baseUrl)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> client.connectionStatus().isConnectedTo(baseUrl));
  }

  /** Whether the client has ever been connected to {@code baseUrl}. */
  synchronized boolean wasConnectedTo(String baseUrl) {
    return statuses.stream().anyMatch(s -> s.isConnectedTo(baseUrl));
  }

  /**
   * The SDK's delivery promise as a listener sees it: no (collection, id, version) twice; per
   * record, versions strictly increasing; per stream, seqs strictly increasing.
   */
  synchronized void assertEachChangeOnceInOrder() {
    Set<String> seen = new HashSet<>();
    Map<String, Long> lastVersion = new HashMap<>();
    Map<String, Long> lastSeq = new HashMap<>();
    for (Change c : changes) {
      String record = c.collection() + "/" + c.id();
      assertThat(seen.add(record + "@" + c.version()))
          .as("%s got %s version %d twice", name, record, c.version())
          .isTrue();
      Long v = lastVersion.put(record, c.version());
      assertThat(v == null || c.version() > v)
          .as("%s got %s version %d after version %s", name, record, c.version(), v)
          .isTrue();
      Long s = lastSeq.put(c.stream(), c.seq());
      assertThat(s == null || c.seq() > s)
          .as("%s got seq %d of %s after seq %s", name, c.seq(), c.stream(), s)
          .isTrue();
    }
  }

  /** How many connection statuses were of {@code state} and concerned {@code baseUrl}. */
  synchronized long count(ConnectionState state, String baseUrl) {
    return statuses.stream()
        .filter(s -> s.state() == state && s.endpoint().orElse("").equals(baseUrl))
        .count();
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return name + " (" + client.connectionStatus() + ")";
  }
}
