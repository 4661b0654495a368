package dev.olympus.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For any history of config changes and any compaction point: a host holding the snapshot at
 * version v that applies delta(since = v) reaches the snapshot at the latest version; below the
 * compaction horizon the delta is refused.
 */
class ConfigHistoryPropertyTest {
  private static final List<String> TYPES = List.of("menu_items", "employees", "tax_groups");

  /** One admin edit: which entity, and whether it is written or deleted. */
  record Edit(String type, int entity, boolean delete, int value) {}

  @Property(tries = 500)
  void snapshotPlusDelta_anyHistoryAndHorizon_reachesLatest(
      @ForAll("histories") List<Edit> edits,
      @ForAll @IntRange(min = 0, max = 1000) int sincePick,
      @ForAll @IntRange(min = 0, max = 1000) int horizonPick) {
    List<ConfigChange> log = toLog(edits);
    long latest = log.size();
    long since = latest == 0 ? 0 : sincePick % (latest + 1);
    long horizon = latest == 0 ? 0 : horizonPick % (latest + 1);

    ConfigSnapshot atSince = ConfigSnapshot.empty().apply(upTo(log, since), since);
    ConfigSnapshot atLatest = ConfigSnapshot.empty().apply(log, latest);
    List<ConfigChange> compacted = ConfigChanges.compactUpTo(log, horizon);

    assertThat(ConfigSnapshot.empty().apply(compacted, latest))
        .as("compaction never changes the latest state")
        .isEqualTo(atLatest);
    DeltaPlan plan = DeltaPlan.decide(since, latest, horizon);
    if (since < horizon) {
      assertThat(plan.verdict()).isEqualTo(DeltaPlan.Verdict.FULL_SYNC_REQUIRED);
      assertThat(plan.reason()).isEqualTo(DeltaPlan.BELOW_HORIZON);
    } else if (latest - since > ConfigRegistry.MAX_DELTA_GAP) {
      assertThat(plan.reason()).isEqualTo(DeltaPlan.GAP_TOO_LARGE);
    } else {
      assertThat(plan.verdict()).isEqualTo(DeltaPlan.Verdict.DELTA);
    }
    if (since >= horizon) {
      List<ConfigChange> delta = ConfigChanges.deltaSince(compacted, since);
      assertThat(atSince.apply(delta, latest)).isEqualTo(atLatest);
      assertThat(delta.stream().map(ConfigChange::key).distinct().count())
          .as("one op per entity")
          .isEqualTo(delta.size());
    }
  }

  @Property(tries = 200)
  void deltaSince_uncompactedLog_reachesLatestFromAnyVersion(
      @ForAll("histories") List<Edit> edits) {
    List<ConfigChange> log = toLog(edits);
    ConfigSnapshot atLatest = ConfigSnapshot.empty().apply(log, log.size());
    for (long v = 0; v <= log.size(); v++) {
      ConfigSnapshot atV = ConfigSnapshot.empty().apply(upTo(log, v), v);
      assertThat(atV.apply(ConfigChanges.deltaSince(log, v), log.size())).isEqualTo(atLatest);
    }
  }

  @Provide
  Arbitrary<List<Edit>> histories() {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.of(TYPES),
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 3).map(i -> i == 0),
                Arbitraries.integers().between(0, 99))
            .as(Edit::new);
    return edit.list().ofMaxSize(150);
  }

  private static List<ConfigChange> upTo(List<ConfigChange> log, long version) {
    return log.stream().filter(c -> c.version() <= version).toList();
  }

  /** One change per edit, versions 1, 2, …; an edit of an entity not held inserts it. */
  private static List<ConfigChange> toLog(List<Edit> edits) {
    List<ConfigChange> log = new ArrayList<>();
    ConfigSnapshot state = ConfigSnapshot.empty();
    long version = 0;
    for (Edit e : edits) {
      version++;
      String id = e.type() + "-" + e.entity();
      boolean held = state.entities(e.type()).containsKey(id);
      ConfigOperation op =
          e.delete()
              ? ConfigOperation.DELETE
              : held ? ConfigOperation.UPDATE : ConfigOperation.INSERT;
      ConfigChange change =
          new ConfigChange(
              "change-" + version,
              version,
              e.type(),
              id,
              op,
              op == ConfigOperation.DELETE ? null : Map.of("id", id, "value", e.value()),
              "2026-11-22T00:00:00Z",
              null);
      log.add(change);
      state = state.apply(List.of(change), version);
    }
    return log;
  }
}
