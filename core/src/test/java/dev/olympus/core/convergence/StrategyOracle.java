package dev.olympus.core.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.conflict.Application;
import dev.olympus.core.conflict.LastWriteWins;
import dev.olympus.core.conflict.OrderResolver;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What each strategy promises about one application, checked on every op the model server sees. */
interface StrategyOracle {
  void check(Optional<RecordState> before, Op op, Application a);

  static StrategyOracle of(Strategy strategy) {
    return switch (strategy.kind()) {
      case LAST_WRITE_WINS -> StrategyOracle::lastWriteWins;
      case SERVER_WINS -> StrategyOracle::serverWins;
      case CLIENT_WINS -> StrategyOracle::clientWins;
      case MERGE -> StrategyOracle::merge;
      case APPEND_ONLY -> StrategyOracle::appendOnly;
      case CUSTOM -> StrategyOracle::orders;
    };
  }

  private static void lastWriteWins(Optional<RecordState> before, Op op, Application a) {
    if (a.conflict()) {
      RecordState server = before.orElseThrow();
      boolean newer =
          a.skewed()
              || LastWriteWins.isNewer(op.hlc(), op.nodeId(), server.version(), server.origin());
      if (!newer) {
        assertThat(a.changed()).as("lww: the earlier write loses: %s to %s", op, server).isFalse();
      } else {
        assertThat(a.state().orElseThrow().sameContentAs(proposed(server, op))).isTrue();
      }
    }
  }

  private static void serverWins(Optional<RecordState> before, Op op, Application a) {
    if (a.conflict()) {
      assertThat(a.changed())
          .as("server_wins: a concurrent edit never changes the record")
          .isFalse();
      assertThat(a.outcome()).isEqualTo(Outcome.MERGED);
    }
  }

  private static void clientWins(Optional<RecordState> before, Op op, Application a) {
    if (a.conflict()) {
      RecordState after = a.state().orElseThrow();
      assertThat(after.sameContentAs(proposed(before.orElseThrow(), op)))
          .as("client_wins: the pushed write wins: %s gave %s", op, after)
          .isTrue();
    }
  }

  private static void merge(Optional<RecordState> before, Op op, Application a) {
    if (a.outcome() == Outcome.REJECTED || before.isEmpty()) {
      return;
    }
    RecordState b = before.get();
    RecordState after = a.state().orElseThrow();
    for (Map.Entry<String, Long> e : b.fieldVersions().entrySet()) {
      assertThat(after.fieldVersions().get(e.getKey()))
          .as("merge: field %s never goes back to an older write", e.getKey())
          .isGreaterThanOrEqualTo(e.getValue());
    }
    for (String field : b.data().keySet()) {
      if (!op.data().containsKey(field)) {
        assertThat(after.data().get(field))
            .as("merge: a field the op does not write keeps its value")
            .isEqualTo(b.data().get(field));
      }
    }
  }

  private static void appendOnly(Optional<RecordState> before, Op op, Application a) {
    if (before.isEmpty()) {
      assertThat(a.outcome())
          .as("append_only: only an insert creates a record: %s", op)
          .isEqualTo(op.action() == OpAction.PUT ? Outcome.APPLIED : Outcome.REJECTED);
      return;
    }
    assertThat(a.changed()).as("append_only: a record is never changed").isFalse();
    boolean sameInsert =
        op.action() == OpAction.PUT
            && !before.get().deleted()
            && before.get().data().equals(op.data());
    assertThat(a.outcome()).isEqualTo(sameInsert ? Outcome.APPLIED : Outcome.REJECTED);
  }

  private static void orders(Optional<RecordState> before, Op op, Application a) {
    if (!a.conflict() || a.outcome() == Outcome.REJECTED) {
      return;
    }
    Map<String, Object> server = before.orElseThrow().data();
    Map<String, Object> after = a.state().orElseThrow().data();
    int from = OrderResolver.STATUS_ORDER.indexOf(server.getOrDefault("status", ""));
    int to = OrderResolver.STATUS_ORDER.indexOf(after.getOrDefault("status", ""));
    assertThat(to)
        .as("orders: status only moves forward, %s -> %s", server, after)
        .isGreaterThanOrEqualTo(from);
    for (String money : OrderResolver.MONEY_FIELDS) {
      if (server.containsKey(money)) {
        assertThat(after.get(money))
            .as("orders: %s keeps the server's value", money)
            .isEqualTo(server.get(money));
      }
    }
    if (server.get("kitchen_notes") instanceof String notes && !notes.isBlank()) {
      assertThat((String) after.get("kitchen_notes"))
          .as("orders: kitchen notes kept")
          .contains(notes);
    }
  }

  /** The content {@code op} gives {@code base} when nothing else happened. */
  static RecordState proposed(RecordState base, Op op) {
    Map<String, Object> data = new LinkedHashMap<>();
    boolean deleted = false;
    switch (op.action()) {
      case PUT -> data.putAll(op.data());
      case PATCH -> {
        data.putAll(base.data());
        data.putAll(op.data());
      }
      case DELETE -> deleted = true;
    }
    return new RecordState(base.collection(), base.id(), data, 0, "", Map.of(), deleted);
  }
}
