package dev.olympus.core.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.conflict.OrderResolver;
import dev.olympus.core.convergence.SyncScript.Action;
import dev.olympus.core.convergence.SyncScript.Deliver;
import dev.olympus.core.convergence.SyncScript.Pull;
import dev.olympus.core.convergence.SyncScript.Send;
import dev.olympus.core.convergence.SyncScript.Tick;
import dev.olympus.core.convergence.SyncScript.Write;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.Priority;
import dev.olympus.core.sync.PushRequest;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
import dev.olympus.core.testing.MutableClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * For every strategy, edge replicas and the cloud converge whatever the delivery order, duplication
 * and interleaving of pushes and pulls: a model of docs/protocol.md (outbox, op ids, base versions,
 * seq'd change feed) around the real {@link dev.olympus.core.conflict.ChangeApplier}, with edges
 * whose wall clocks are off by milliseconds to minutes.
 */
class ConvergenceTest {
  private static final int TRIES = 800;
  private static final int EDGES = 3;
  private static final long T0 = 1_760_000_000_000L;
  private static final String[] FIELDS = {"a", "b", "c", "d"};
  private static final String[] ORDER_FIELDS = {"status", "total", "kitchen_notes", "table"};
  private static final String[] NOTES = {"no onions", "extra cheese", "allergy: nuts"};

  @Property(tries = TRIES)
  void lastWriteWins_anyScript_replicasConverge(@ForAll("scripts") SyncScript script) {
    run(Strategy.LAST_WRITE_WINS, script);
  }

  @Property(tries = TRIES)
  void serverWins_anyScript_replicasConverge(@ForAll("scripts") SyncScript script) {
    run(Strategy.SERVER_WINS, script);
  }

  @Property(tries = TRIES)
  void clientWins_anyScript_replicasConverge(@ForAll("scripts") SyncScript script) {
    run(Strategy.CLIENT_WINS, script);
  }

  @Property(tries = TRIES)
  void merge_anyScript_replicasConverge(@ForAll("scripts") SyncScript script) {
    run(Strategy.MERGE, script);
  }

  @Property(tries = TRIES)
  void appendOnly_anyScript_replicasConverge(@ForAll("scripts") SyncScript script) {
    run(Strategy.APPEND_ONLY, script);
  }

  @Property(tries = TRIES)
  void customOrders_anyScript_replicasConverge(@ForAll("scripts") SyncScript script) {
    run(Strategy.custom("orders"), script);
  }

  /**
   * Runs {@code script}, drains every outbox and feed, and checks every replica holds the cloud's
   * records.
   */
  static void run(Strategy strategy, SyncScript script) {
    String collection = strategy.kind() == Strategy.Kind.CUSTOM ? "orders" : "items";
    MutableClock wall = new MutableClock(T0);
    ModelServer server =
        new ModelServer(
            wall, new CollectionPolicy(Priority.NORMAL, strategy), StrategyOracle.of(strategy));
    List<ModelEdge> edges = new ArrayList<>();
    for (int i = 0; i < EDGES; i++) {
      edges.add(new ModelEdge("edge-" + i, collection, wall, script.edgeSkewsMillis().get(i)));
    }
    List<InFlight> network = new ArrayList<>();
    int[] created = new int[EDGES];

    for (Action action : script.actions()) {
      if (action instanceof Write w) {
        write(strategy, edges.get(w.edge()), w, created);
      } else if (action instanceof Send s) {
        edges
            .get(s.edge())
            .send(s.batchSize())
            .ifPresent(r -> network.add(new InFlight(s.edge(), r)));
      } else if (action instanceof Deliver d) {
        if (!network.isEmpty()) {
          int index = d.pick() % network.size();
          InFlight f = d.duplicate() ? network.get(index) : network.remove(index);
          deliver(server, edges.get(f.edge()), f.request(), d.loseResponse());
        }
      } else if (action instanceof Pull p) {
        edges.get(p.edge()).pull(server, p.limit());
      } else if (action instanceof Tick t) {
        wall.advance(t.millis());
      }
    }

    // Drain: late copies still in the network arrive (nobody waits for them), then every edge
    // pushes everything, then every edge pulls everything.
    for (InFlight f : network) {
      deliver(server, edges.get(f.edge()), f.request(), true);
    }
    for (ModelEdge edge : edges) {
      while (!edge.outboxEmpty()) {
        PushRequest request = edge.send(5).orElseThrow();
        deliver(server, edge, request, false);
      }
    }
    for (ModelEdge edge : edges) {
      while (edge.pull(server, 4)) {
        // next page
      }
    }

    for (ModelEdge edge : edges) {
      assertThat(edge.records())
          .as(
              "%s converged to the cloud under %s (cloud counts %s)",
              edge.id, strategy, server.counts())
          .isEqualTo(server.records());
      for (String opId : edge.written()) {
        assertThat(server.answered(opId)).as("op %s reached the cloud", opId).isTrue();
      }
    }
    // The runs must reach the hard cases, or passing proves little.
    Statistics.label("conflicts")
        .collect(server.counts().keySet().stream().anyMatch(k -> k.contains("conflict")));
    Statistics.label("duplicates").collect(server.counts().containsKey("duplicate"));
    Statistics.label("skewed")
        .collect(server.counts().keySet().stream().anyMatch(k -> k.contains("skew")));
    Statistics.label("rejections")
        .collect(
            server.counts().keySet().stream()
                .filter(k -> k.startsWith("rejected:"))
                .sorted()
                .toList()
                .toString());
    if (strategy.kind() != Strategy.Kind.APPEND_ONLY) {
      Statistics.label("conflicts").coverage(c -> c.check(true).percentage(p -> p >= 30));
    }
    Statistics.label("duplicates").coverage(c -> c.check(true).percentage(p -> p >= 15));
    Statistics.label("skewed").coverage(c -> c.check(true).percentage(p -> p >= 5));
  }

  private static void deliver(
      ModelServer server, ModelEdge edge, PushRequest request, boolean loseResponse) {
    var response = server.push(request);
    if (edge.awaits(request)) {
      if (loseResponse) {
        edge.timeOut(request);
      } else {
        edge.onResponse(request, response, server);
      }
    }
  }

  private static void write(Strategy strategy, ModelEdge edge, Write w, int[] created) {
    if (strategy.kind() == Strategy.Kind.APPEND_ONLY) {
      // Inserts of new records, or the same insert again under a new op id.
      int edgeIndex = Integer.parseInt(edge.id.substring("edge-".length()));
      if (w.action() == OpAction.PUT || edge.records().isEmpty()) {
        edge.write(OpAction.PUT, edge.id + "-n" + created[edgeIndex]++, data(strategy, w.fields()));
      } else {
        List<RecordState> local = List.copyOf(edge.records().values());
        RecordState again = local.get(w.record() % local.size());
        if (w.action() == OpAction.PATCH) {
          edge.write(OpAction.PUT, again.id(), again.data());
        } else {
          // A delete the cloud refuses: the edge must get the record back.
          edge.write(OpAction.DELETE, again.id(), Map.of());
        }
      }
      return;
    }
    edge.write(w.action(), "r" + w.record(), data(strategy, w.fields()));
  }

  private static Map<String, Object> data(Strategy strategy, Map<Integer, Integer> fields) {
    Map<String, Object> data = new LinkedHashMap<>();
    boolean orders = strategy.kind() == Strategy.Kind.CUSTOM;
    for (Map.Entry<Integer, Integer> e : fields.entrySet()) {
      int v = e.getValue();
      if (orders) {
        String field = ORDER_FIELDS[e.getKey()];
        data.put(
            field,
            switch (field) {
              case "status" ->
                  OrderResolver.STATUS_ORDER.get(v % OrderResolver.STATUS_ORDER.size());
              case "total" -> v * 100L;
              case "kitchen_notes" -> NOTES[v % NOTES.length];
              default -> (long) v;
            });
      } else {
        data.put(FIELDS[e.getKey()], v % 2 == 0 ? (Object) (long) v : "s" + v);
      }
    }
    return data;
  }

  private record InFlight(int edge, PushRequest request) {}

  @Provide
  Arbitrary<SyncScript> scripts() {
    Arbitrary<Long> skew =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.just(0L)),
            net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(-5, 5)),
            net.jqwik.api.Tuple.of(2, Arbitraries.of(-120_000L, 120_000L)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(-600_000L, 600_000L)));
    Arbitrary<Integer> edge = Arbitraries.integers().between(0, EDGES - 1);
    Arbitrary<Map<Integer, Integer>> fields =
        Arbitraries.maps(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 5))
            .ofMinSize(1)
            .ofMaxSize(3);
    Arbitrary<OpAction> opAction =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.just(OpAction.PUT)),
            net.jqwik.api.Tuple.of(4, Arbitraries.just(OpAction.PATCH)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(OpAction.DELETE)));
    Arbitrary<Action> write =
        Combinators.combine(edge, opAction, Arbitraries.integers().between(0, 2), fields)
            .as(Write::new);
    Arbitrary<Action> send =
        Combinators.combine(edge, Arbitraries.integers().between(1, 4)).as(Send::new);
    Arbitrary<Action> deliver =
        Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.of(false, false, true),
                Arbitraries.of(false, false, false, true))
            .as(Deliver::new);
    Arbitrary<Action> pull =
        Combinators.combine(edge, Arbitraries.integers().between(1, 3)).as(Pull::new);
    Arbitrary<Action> tick =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 3)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-2_000, -1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(400_000L)))
            .map(Tick::new);
    Arbitrary<Action> action =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, write),
            net.jqwik.api.Tuple.of(4, send),
            net.jqwik.api.Tuple.of(5, deliver),
            net.jqwik.api.Tuple.of(3, pull),
            net.jqwik.api.Tuple.of(2, tick));
    return Combinators.combine(skew.list().ofSize(EDGES), action.list().ofMinSize(5).ofMaxSize(60))
        .as(SyncScript::new);
  }
}
