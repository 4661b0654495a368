package dev.olympus.edge.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.edge.store.LocalRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The on-hand rule alone: latest count (the cloud's on a tie) plus the movements after it. */
class StockLevelsTest {
  static final Instant T = Instant.parse("2026-11-22T15:00:00Z");

  static LocalRecord movement(String id, String kind, String qty, Instant at) {
    return new LocalRecord(
        "inventory_movements",
        id,
        Map.of("item_id", "flour", "kind", kind, "quantity", qty, "recorded_at", at.toString()),
        HybridLogicalClock.encode(at.toEpochMilli(), 0),
        "edge-1",
        0,
        false);
  }

  static LocalRecord cloudCount(String id, Object qty, Instant at) {
    return new LocalRecord(
        "inventory_counts",
        id,
        Map.of("item_id", "flour", "quantity", qty, "counted_at", at.toString()),
        HybridLogicalClock.encode(at.toEpochMilli() + 60_000, 0),
        "cloud",
        1,
        false);
  }

  @Test
  void cloudCount_replacesMovementsAtOrBeforeIt_keepsLaterOnes() {
    var movements =
        List.of(
            movement("m1", "receipt", "20", T.minusSeconds(60)),
            movement("m2", "sale", "3", T), // at the count's time: in the count
            movement("m3", "sale", "2", T.plusSeconds(1)),
            movement("m4", "receipt", "0.5", T.plusSeconds(2)));
    var onHand =
        StockLevels.compute(
            "flour",
            movements,
            List.of(cloudCount("c1", "10", T)),
            Optional.of(new BigDecimal("9")));
    assertThat(StockLevels.plain(onHand.quantity())).isEqualTo("8.5");
    assertThat(onHand.movementsSinceCount()).isEqualTo(2);
    assertThat(onHand.lastCount().orElseThrow().source()).isEqualTo("cloud");
    assertThat(onHand.low()).isTrue();
  }

  @Test
  void latestCountWins_cloudOnATie_numberQuantitiesAccepted() {
    var movements =
        List.of(
            movement("local-count", "count", "7", T),
            movement("m1", "sale", "1", T.plusSeconds(5)));
    var tie =
        StockLevels.compute("flour", movements, List.of(cloudCount("c1", 12, T)), Optional.empty());
    assertThat(StockLevels.plain(tie.quantity())).isEqualTo("11");
    var older =
        StockLevels.compute(
            "flour", movements, List.of(cloudCount("c0", 12, T.minusSeconds(5))), Optional.empty());
    assertThat(StockLevels.plain(older.quantity())).isEqualTo("6");
    assertThat(older.lastCount().orElseThrow().id()).isEqualTo("local-count");
    assertThat(older.low()).isFalse();
  }

  @Test
  void neverCounted_startsFromZero() {
    var onHand =
        StockLevels.compute(
            "flour",
            List.of(movement("m1", "receipt", "4", T), movement("m2", "waste", "1.25", T)),
            List.of(),
            Optional.of(new BigDecimal("2.75")));
    assertThat(StockLevels.plain(onHand.quantity())).isEqualTo("2.75");
    assertThat(onHand.low()).isTrue();
    assertThat(onHand.lastCount()).isEmpty();
  }
}
