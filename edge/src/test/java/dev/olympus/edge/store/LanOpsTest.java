package dev.olympus.edge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.OpAction;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.testing.ManualClock;
import dev.olympus.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remembered outcomes of keyed writes, and their retention. */
class LanOpsTest {
  @TempDir Path dir;
  Database db;
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T14:00:00Z"));

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
  }

  @AfterEach
  void close() {
    db.close();
  }

  java.util.Optional<LanOps.Outcome> find(LanOps ops, String key) {
    return db.jdbi().withHandle(h -> ops.find(h, key));
  }

  @Test
  void remember_sameKeyTwice_keepsTheFirstOutcome() {
    LanOps ops = new LanOps(LanOps.Retention.DEFAULT, clock);
    ApiError refusal = new ApiError("not_found", "orders/o1 does not exist", "id");
    db.jdbi().useHandle(h -> ops.remember(h, "k1", "orders", "o1", 404, refusal));
    db.jdbi().useHandle(h -> ops.remember(h, "k1", "orders", "o1", 201, null));

    LanOps.Outcome o = find(ops, "k1").orElseThrow();
    assertThat(o.status()).isEqualTo(404);
    assertThat(o.error()).contains(refusal);
  }

  @Test
  void prune_pastMaxAge_forgetsOldOutcomesButKeepsThoseStillQueued() {
    LanOps ops = new LanOps(new LanOps.Retention(Duration.ofDays(7), 100), clock);
    db.jdbi()
        .useHandle(
            h -> {
              ops.remember(h, "old-pushed", "orders", "o1", 201, null);
              ops.remember(h, "old-queued", "orders", "o2", 201, null);
              Outbox.append(h, "old-queued", "orders", "o2", OpAction.PUT, "{}", 0, null, 1, 1, 0);
            });
    clock.advance(Duration.ofDays(6));
    db.jdbi().useHandle(h -> ops.remember(h, "recent", "orders", "o3", 201, null));
    clock.advance(Duration.ofDays(2));

    int forgotten = db.jdbi().withHandle(ops::prune);

    assertThat(forgotten).isEqualTo(1);
    assertThat(find(ops, "old-pushed")).isEmpty();
    assertThat(find(ops, "old-queued")).isPresent();
    assertThat(find(ops, "recent")).isPresent();
  }

  @Test
  void prune_pastMaxRows_forgetsTheOldest() {
    LanOps ops = new LanOps(new LanOps.Retention(Duration.ofDays(7), 2), clock);
    for (int i = 0; i < 4; i++) {
      String key = "k" + i;
      db.jdbi().useHandle(h -> ops.remember(h, key, "orders", "o", 200, null));
      clock.advance(Duration.ofSeconds(1));
    }

    db.jdbi().useHandle(ops::prune);

    assertThat(db.jdbi().withHandle(LanOps::count)).isEqualTo(2);
    assertThat(find(ops, "k3")).isPresent();
    assertThat(find(ops, "k0")).isEmpty();
  }

  @Test
  void retention_zeroAgeOrRows_isRefusedWithTheValue() {
    assertThatThrownBy(() -> new LanOps.Retention(Duration.ZERO, 1)).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> new LanOps.Retention(Duration.ofDays(1), 0))
        .hasMessageContaining("was 0");
  }
}
