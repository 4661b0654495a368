package dev.olympus.cloud.sync;

import static dev.olympus.cloud.sync.StoreHarness.hlc;
import static dev.olympus.cloud.sync.StoreHarness.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.store.Dialect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the cloud leaves out for an edge that already holds it: the records of a pull that only echo
 * the edge's own pushes, and the record of a push result for an op applied as written.
 */
class OwnWritesTest {
  @TempDir Path tempDir;

  private static IncomingOp putBy(String node, String opId, String id, long hlc) {
    return IncomingOp.parsed(
        new Op(opId, "tables", id, OpAction.PUT, Map.of("by", node), 0, hlc, node), null);
  }

  private static SyncStore.OwnWrites own(String origin, long from, long to) {
    return new SyncStore.OwnWrites(origin, List.of(new SyncStore.SeqRange(from, to)));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void pull_excludingOwnWrites_skipsThemButAdvancesTheCursor(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      var pushed =
          h.store.push(
              h.edge(h.loc1),
              List.of(
                  putBy("edge-a", "a1", "t1", hlc(0)),
                  putBy("edge-a", "a2", "t2", hlc(1)),
                  putBy("edge-a", "a3", "t3", hlc(2))));
      assertThat(pushed.results()).extracting(OpResult::seq).containsExactly(1L, 2L, 3L);

      PullResponse page = h.store.pull(h.tenant, h.loc1, 0, 100, own("edge-a", 1, 3));

      assertThat(page.changes()).isEmpty();
      assertThat(page.hasMore()).isFalse();
      assertThat(page.nextSince()).isEqualTo(3L);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void pull_excludingOwnWrites_neverSkipsAnotherWriterNorTheSameOriginOutsideTheRanges(
      Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      h.store.push(
          h.edge(h.loc1),
          List.of(putBy("edge-a", "a1", "t1", hlc(0)), putBy("edge-a", "a2", "t2", hlc(1))));
      // Another writer between two pushes of the edge, then an op of the edge's origin that the
      // edge did not push in this cycle (e.g. re-applied from the review queue).
      h.store.push(h.edge(h.loc1), List.of(putBy("edge-b", "b1", "t3", hlc(2))));
      h.store.push(h.edge(h.loc1), List.of(putBy("edge-a", "a3", "t4", hlc(3))));
      h.store.push(h.edge(h.loc1), List.of(putBy("edge-a", "a4", "t5", hlc(4))));
      var own =
          new SyncStore.OwnWrites(
              "edge-a", List.of(new SyncStore.SeqRange(1, 2), new SyncStore.SeqRange(5, 5)));

      PullResponse first = h.store.pull(h.tenant, h.loc1, 0, 1, own);
      PullResponse second = h.store.pull(h.tenant, h.loc1, first.nextSince(), 1, own);
      PullResponse third = h.store.pull(h.tenant, h.loc1, second.nextSince(), 1, own);

      assertThat(first.changes()).extracting(Change::seq).containsExactly(3L);
      assertThat(first.hasMore()).isTrue();
      assertThat(second.changes()).extracting(Change::seq).containsExactly(4L);
      // Only an own write follows: the page says so and its cursor moves past it at once.
      assertThat(second.hasMore()).isFalse();
      assertThat(second.nextSince()).isEqualTo(5L);
      assertThat(third.changes()).isEmpty();
      assertThat(third.hasMore()).isFalse();
      assertThat(third.nextSince()).isEqualTo(5L);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void pull_withoutExclusion_servesEverythingAsBefore(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      h.store.push(
          h.edge(h.loc1),
          List.of(putBy("edge-a", "a1", "t1", hlc(0)), putBy("edge-a", "a2", "t2", hlc(1))));

      PullResponse page = h.store.pull(h.tenant, h.loc1, 0, 100, null);

      assertThat(page.changes()).extracting(Change::seq).containsExactly(1L, 2L);
      assertThat(page.nextSince()).isEqualTo(2L);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void wireResults_opAppliedAsWritten_leavesTheRecordOutButKeepsItForDuplicates(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      List<IncomingOp> ops = List.of(put("op-1", "tables", "t1", Map.of("n", 1), hlc(0)));
      var first = h.store.push(h.edge(h.loc1), ops);
      var again = h.store.push(h.edge(h.loc1), ops);

      OpResult applied = SyncRoutes.wireResults(first.results(), first.asWritten()).get(0);
      OpResult duplicate = SyncRoutes.wireResults(again.results(), again.asWritten()).get(0);

      assertThat(applied.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(applied.seq()).isEqualTo(1L);
      assertThat(applied.record()).isNull();
      assertThat(first.results().get(0).record()).isNotNull(); // the store's own answer is whole
      assertThat(duplicate.outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(duplicate.record().data()).isEqualTo(Map.of("n", 1L));
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void wireResults_opRestampedOrMerged_keepsTheCanonicalRecord(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      long far = StoreHarness.hlc(60 * 60 * 1000); // an hour ahead: not allowed to win as is
      List<IncomingOp> skewed = List.of(put("op-s", "tables", "s1", Map.of("n", 1), far));
      var out = h.store.push(h.edge(h.loc1), skewed);

      OpResult r = SyncRoutes.wireResults(out.results(), out.asWritten()).get(0);

      assertThat(r.record()).isNotNull();
      assertThat(r.record().version()).isNotEqualTo(far);
    }
  }

  /**
   * Regression: a patch that met a concurrent edit and won under last-write-wins is "applied", at
   * the op's own version, yet its record holds the other writer's fields too. Its answer must carry
   * the record, or the writer keeps its own copy (and skips its own seq when it pulls) for ever.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void wireResults_patchWinningAConflict_keepsTheCanonicalRecord(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      long base = hlc(0);
      h.store.push(h.edge(h.loc1), List.of(put("op-0", "tables", "t1", Map.of("a", 1), base)));
      // Someone else changes field b; then our patch of field a, based on the first version.
      h.store.push(
          h.edge(h.loc1),
          List.of(
              IncomingOp.parsed(
                  new Op(
                      "op-1",
                      "tables",
                      "t1",
                      OpAction.PATCH,
                      Map.of("b", 2),
                      base,
                      hlc(1),
                      "edge-other",
                      "edge-a"),
                  null)));
      List<IncomingOp> mine =
          List.of(
              IncomingOp.parsed(
                  new Op(
                      "op-2",
                      "tables",
                      "t1",
                      OpAction.PATCH,
                      Map.of("a", 3),
                      base,
                      hlc(2),
                      "edge-a",
                      "edge-a"),
                  null));
      var out = h.store.push(h.edge(h.loc1), mine);

      OpResult r = SyncRoutes.wireResults(out.results(), out.asWritten()).get(0);

      assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(r.record()).isNotNull();
      assertThat(r.record().data()).isEqualTo(Map.of("a", 3L, "b", 2L));
    }
  }

  @Test
  void readPush_wellFormedBody_keepsEachOpsDataAsSent() {
    String body =
        "{\"ops\": [{\"op_id\":\"o1\",\"collection\":\"orders\",\"id\":\"r1\",\"action\":\"put\","
            + "\"data\": {\"a\": 1.50, \"b\":[1,{\"c\":\"\\u00e9\"}]},\"hlc\":5,\"node_id\":\"e\"},"
            + "{\"op_id\":\"o2\",\"collection\":\"orders\",\"id\":\"r1\",\"action\":\"delete\","
            + "\"hlc\":6,\"node_id\":\"e\"}]}";

    List<IncomingOp> ops =
        OpParser.readPush(body.getBytes(StandardCharsets.UTF_8), 10).orElseThrow();

    assertThat(ops).hasSize(2).allMatch(IncomingOp::valid);
    assertThat(ops.get(0).dataJson()).isEqualTo("{\"a\": 1.50, \"b\":[1,{\"c\":\"\\u00e9\"}]}");
    assertThat(ops.get(0).op().data()).containsEntry("a", 1.5);
    assertThat(ops.get(1).dataJson()).isNull();
  }

  @Test
  void readPush_anythingButAWellFormedOpsArray_isLeftToTheCarefulReader() {
    for (String body :
        List.of(
            "[]",
            "{}",
            "{\"ops\": {}}",
            "{\"ops\": [] } trailing",
            "{\"ops\": [{\"op_id\":\"o1\",}]}",
            "{\"ops\": [], \"ops\": []}",
            "{\"ops\": [1, 2, 3]}")) {
      var read = OpParser.readPush(body.getBytes(StandardCharsets.UTF_8), 2);
      assertThat(read).as(body).isEmpty();
    }
    // Bad ops inside a well-formed array are answered one by one, as before.
    var bad =
        OpParser.readPush("{\"ops\": [1, {\"op_id\": 5}]}".getBytes(StandardCharsets.UTF_8), 10)
            .orElseThrow();
    assertThat(bad).noneMatch(IncomingOp::valid);
  }
}
