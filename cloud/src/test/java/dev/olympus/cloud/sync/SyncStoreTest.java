package dev.olympus.cloud.sync;

import static dev.olympus.cloud.sync.StoreHarness.hlc;
import static dev.olympus.cloud.sync.StoreHarness.op;
import static dev.olympus.cloud.sync.StoreHarness.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.store.Dialect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The push and pull paths, on SQLite and on PostgreSQL. */
class SyncStoreTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_newRecords_appliedWithConsecutiveSeqsAndPulled(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      var out =
          h.store.push(
              h.edge(h.loc1),
              List.of(
                  put("op-1", "tables", "t1", Map.of("seats", 4), hlc(0)),
                  put("op-2", "tables", "t2", Map.of("seats", 2), hlc(1)),
                  put("op-3", "tables", "t1", Map.of("seats", 6), hlc(2))));

      assertThat(out.results()).extracting(OpResult::outcome).containsOnly(Outcome.APPLIED);
      assertThat(out.results()).extracting(OpResult::seq).containsExactly(1L, 2L, 3L);
      assertThat(out.results().get(2).record().data()).isEqualTo(Map.of("seats", 6L));
      PullResponse pull = h.store.pull(h.tenant, h.loc1, 0, 100);
      // t1 changed twice: the feed holds its latest state once, under its latest seq.
      assertThat(pull.changes()).extracting(Change::seq).containsExactly(2L, 3L);
      assertThat(pull.changes().get(1).record().data()).containsEntry("seats", 6L);
      assertThat(pull.hasMore()).isFalse();
      assertThat(pull.nextSince()).isEqualTo(3L);
    }
  }

  /**
   * On PostgreSQL a push inserts its new records with COPY and upserts the others: a push holding
   * both, with text COPY must escape, stores each record exactly as sent.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_newAndExistingRecordsWithAwkwardText_storedExactlyAsSent(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      String awkward =
          "{\"note\":\"no \\\"onions\\\"\\n\\ttwice\",\"path\":\"C:\\\\orders\\\\\","
              + "\"name\":\"Caf\u00e9 \u2013 \u5bff\u53f8 \\ud83c\\udf63\",\"raw\":\"\\\\N\"}";
      h.store.push(h.edge(h.loc1), pushOf(opJson("op-1", "o-1", "{\"status\":\"pending\"}", 1)));

      var out =
          h.store.push(
              h.edge(h.loc1),
              pushOf(opJson("op-2", "o-1", awkward, 2), opJson("op-3", "o-2", awkward, 3)));

      assertThat(out.results()).extracting(OpResult::outcome).containsOnly(Outcome.APPLIED);
      PullResponse pull = h.store.pull(h.tenant, h.loc1, 0, 100);
      assertThat(pull.changes()).hasSize(2);
      Map<String, Object> expected = Json.MAPPER.convertValue(Json.readTree(awkward), Map.class);
      for (Change c : pull.changes()) {
        assertThat(c.record().data()).isEqualTo(expected);
      }
      assertThat(h.store.push(h.edge(h.loc1), pushOf(opJson("op-3", "o-2", awkward, 3))).results())
          .extracting(OpResult::outcome)
          .containsExactly(Outcome.DUPLICATE);
    }
  }

  private static String opJson(String opId, String id, String dataJson, int hlcOffset) {
    return "{\"op_id\":\""
        + opId
        + "\",\"collection\":\"tables\",\"id\":\""
        + id
        + "\",\"action\":\"put\",\"data\":"
        + dataJson
        + ",\"hlc\":"
        + hlc(hlcOffset)
        + ",\"node_id\":\"edge-1\"}";
  }

  private static List<IncomingOp> pushOf(String... ops) {
    String body = "{\"ops\":[" + String.join(",", ops) + "]}";
    return OpParser.readPush(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1000)
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_sameOpIdAgain_answeredAsDuplicateAndAppliedOnce(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      var first =
          h.store.push(
              h.edge(h.loc1), List.of(put("op-a", "tables", "t1", Map.of("n", 1), hlc(0))));
      long seq = first.results().get(0).seq();

      var again =
          h.store.push(
              h.edge(h.loc1),
              List.of(
                  put("op-a", "tables", "t1", Map.of("n", 1), hlc(0)),
                  put("op-b", "tables", "t1", Map.of("n", 2), hlc(5)),
                  put("op-b", "tables", "t1", Map.of("n", 2), hlc(5))));

      assertThat(again.results().get(0).outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(again.results().get(0).seq()).isEqualTo(seq);
      assertThat(again.results().get(1).outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(again.results().get(2).outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(again.results().get(2).seq()).isEqualTo(again.results().get(1).seq());
      assertThat(h.store.latestSeq(h.tenant, h.loc1)).isEqualTo(seq + 1);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_invalidOpsAmongValid_rejectedOneByOneWhileOthersApply(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      JsonNode bad =
          Json.readTree(
              "[{\"op_id\":\"x1\",\"collection\":\"Bad Name\",\"id\":\"r\",\"action\":\"put\","
                  + "\"data\":{},\"hlc\":1,\"node_id\":\"n\"},"
                  + "{\"collection\":\"tables\"},"
                  + "{\"op_id\":\"x3\",\"collection\":\"tables\",\"id\":\"r\",\"action\":\"put\","
                  + "\"data\":\"nope\",\"hlc\":1,\"node_id\":\"n\"}]");
      var out =
          h.store.push(
              h.edge(h.loc1),
              List.of(
                  put("ok-1", "tables", "t1", Map.of(), hlc(0)),
                  OpParser.parse(bad.get(0), 1),
                  OpParser.parse(bad.get(1), 2),
                  OpParser.parse(bad.get(2), 3),
                  put("ok-2", "tables", "t2", Map.of(), hlc(1))));

      assertThat(out.results())
          .extracting(OpResult::outcome)
          .containsExactly(
              Outcome.APPLIED,
              Outcome.REJECTED,
              Outcome.REJECTED,
              Outcome.REJECTED,
              Outcome.APPLIED);
      assertThat(out.results().get(1).error().field()).isEqualTo("collection");
      assertThat(out.results().get(2).error().code()).isEqualTo("missing_field");
      assertThat(out.results().get(2).error().field()).isEqualTo("op_id");
      assertThat(out.results().get(3).error().field()).isEqualTo("data");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_rejectedRetryAttemptsTimes_goesToReviewAndRequeueAppliesIt(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      SyncConfig d = SyncConfig.defaults();
      h.directory.replaceSyncConfig(
          h.tenant, new SyncConfig(30, 100, 2, d.conflictStrategy(), d.tables()));
      // Both clocks from one reading: the put must stay older than the patch however slow the
      // pushes in between are.
      long now = System.currentTimeMillis();
      var patch =
          op(
              "p-1",
              "tables",
              "t9",
              OpAction.PATCH,
              Map.of("seats", 3),
              0,
              HybridLogicalClock.encode(now + 50, 0));

      OpResult try1 = h.store.push(h.edge(h.loc1), List.of(patch)).results().get(0);
      OpResult try2 = h.store.push(h.edge(h.loc1), List.of(patch)).results().get(0);
      OpResult try3 = h.store.push(h.edge(h.loc1), List.of(patch)).results().get(0);

      assertThat(try1.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(try1.error().code()).isEqualTo("not_found");
      assertThat(try1.queuedForReview()).isNull();
      assertThat(try2.queuedForReview()).isTrue();
      assertThat(try3.queuedForReview()).isTrue();
      List<ReviewQueue.Item> pending = h.review.list(h.tenant, "pending", 10);
      assertThat(pending).extracting(ReviewQueue.Item::opId).containsExactly("p-1");
      assertThat(pending.get(0).attempts()).isEqualTo(2);
      assertThat(pending.get(0).locationId()).isEqualTo(h.loc1);

      h.store.push(
          h.edge(h.loc1),
          List.of(
              put(
                  "c-1",
                  "tables",
                  "t9",
                  Map.of("seats", 2),
                  HybridLogicalClock.encode(now + 1, 0))));
      OpResult requeued = h.review.requeue(pending.get(0), h.tenant);

      assertThat(requeued.outcome()).isIn(Outcome.APPLIED, Outcome.MERGED);
      assertThat(requeued.record().data()).containsEntry("seats", 3L);
      assertThat(h.review.list(h.tenant, "pending", 10)).isEmpty();
      assertThat(h.review.list(h.tenant, "requeued", 10)).hasSize(1);
      OpResult retry = h.store.push(h.edge(h.loc1), List.of(patch)).results().get(0);
      assertThat(retry.outcome()).isEqualTo(Outcome.DUPLICATE);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_rejectedThreeTimesUnderTheDefaults_goesToReviewWithoutBlockingTheOpsBehind(
      Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      h.directory.replaceSyncConfig(h.tenant, SyncConfig.defaults());
      var bad = op("p-3", "tables", "t-missing", OpAction.PATCH, Map.of("seats", 3), 0, hlc(0));
      List<OpResult> tries = new ArrayList<>();

      for (int i = 1; i <= 3; i++) {
        var behind = put("ok-" + i, "tables", "t-ok-" + i, Map.of("seats", i), hlc(i));
        List<OpResult> results = h.store.push(h.edge(h.loc1), List.of(bad, behind)).results();
        tries.add(results.get(0));
        assertThat(results.get(1).outcome())
            .as("the op behind, try " + i)
            .isEqualTo(Outcome.APPLIED);
      }

      assertThat(tries).extracting(OpResult::outcome).containsOnly(Outcome.REJECTED);
      assertThat(tries.get(0).queuedForReview()).isNull();
      assertThat(tries.get(1).queuedForReview()).isNull();
      assertThat(tries.get(2).queuedForReview()).isTrue();
      List<ReviewQueue.Item> pending = h.review.list(h.tenant, "pending", 10);
      assertThat(pending).extracting(ReviewQueue.Item::opId).containsExactly("p-3");
      assertThat(pending.get(0).attempts()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void discard_pendingOp_leavesQueueAndRetryStaysRejected(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      SyncConfig d = SyncConfig.defaults();
      h.directory.replaceSyncConfig(
          h.tenant, new SyncConfig(30, 100, 1, d.conflictStrategy(), d.tables()));
      var patch = op("p-2", "tables", "t9", OpAction.PATCH, Map.of("seats", 3), 0, hlc(0));
      assertThat(h.store.push(h.edge(h.loc1), List.of(patch)).results().get(0).queuedForReview())
          .isTrue();

      h.review.discard(h.tenant, "p-2");

      assertThat(h.review.list(h.tenant, "pending", 10)).isEmpty();
      assertThat(h.review.list(h.tenant, "discarded", 10)).hasSize(1);
      h.store.push(h.edge(h.loc1), List.of(put("c-2", "tables", "t9", Map.of("seats", 2), hlc(1))));
      OpResult retry = h.store.push(h.edge(h.loc1), List.of(patch)).results().get(0);
      assertThat(retry.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(retry.queuedForReview()).isTrue();
      assertThat(h.store.find(h.tenant, "tables", "t9").orElseThrow().state().data())
          .containsEntry("seats", 2L);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_concurrentOrderEdit_resolvedByOrderResolverAndAudited(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      var created =
          h.store
              .push(
                  h.edge(h.loc1),
                  List.of(
                      put(
                          "o-1",
                          "orders",
                          "ord-1",
                          Map.of("status", "preparing", "total", 10, "kitchen_notes", "no onions"),
                          hlc(0))))
              .results()
              .get(0);
      assertThat(created.outcome()).isEqualTo(Outcome.APPLIED);

      // Written offline against the record as it was before: base version 0, a stale status.
      var stale =
          op(
              "o-2",
              "orders",
              "ord-1",
              OpAction.PUT,
              Map.of("status", "pending", "total", 12, "kitchen_notes", "extra spicy"),
              0,
              hlc(10));
      OpResult merged = h.store.push(h.edge(h.loc1), List.of(stale)).results().get(0);

      assertThat(merged.outcome()).isEqualTo(Outcome.MERGED);
      assertThat(merged.record().data())
          .containsEntry("status", "preparing")
          .containsEntry("total", 10L)
          .containsEntry("kitchen_notes", "no onions\nextra spicy");
      List<ConflictLog.Entry> audit = h.conflicts.list(h.tenant, null, 0, 10);
      assertThat(audit).hasSize(1);
      assertThat(audit.get(0).strategy()).isEqualTo("custom:orders");
      assertThat(audit.get(0).server().get("data").get("status").asText()).isEqualTo("preparing");
      assertThat(audit.get(0).local().get("data").get("status").asText()).isEqualTo("pending");
      assertThat(audit.get(0).resolved().get("data").get("total").asLong()).isEqualTo(10);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_changeToAppendOnlyRecord_rejectedAndOriginalKept(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      h.store.push(
          h.edge(h.loc1), List.of(put("pay-1", "payments", "p1", Map.of("amount", 5), hlc(0))));

      OpResult changed =
          h.store
              .push(
                  h.edge(h.loc1),
                  List.of(
                      op("pay-2", "payments", "p1", OpAction.PUT, Map.of("amount", 50), 0, hlc(3))))
              .results()
              .get(0);

      assertThat(changed.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(changed.error().code()).isEqualTo("append_only");
      assertThat(h.store.find(h.tenant, "payments", "p1").orElseThrow().state().data())
          .containsEntry("amount", 5L);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_recordOfAnotherLocation_rejectedForbidden(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      h.store.push(h.edge(h.loc2), List.of(put("l2-1", "tables", "t1", Map.of("x", 1), hlc(0))));

      OpResult r =
          h.store
              .push(h.edge(h.loc1), List.of(put("l1-1", "tables", "t1", Map.of("x", 2), hlc(2))))
              .results()
              .get(0);

      assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(r.error().code()).isEqualTo("forbidden");
      assertThat(h.store.find(h.tenant, "tables", "t1").orElseThrow().state().data())
          .containsEntry("x", 1L);
      assertThat(h.store.pull(h.tenant, h.loc1, 0, 10).changes()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void pull_smallPages_returnEveryVisibleChangeOnceInOrder(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      List<IncomingOp> one = new ArrayList<>();
      List<IncomingOp> two = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        one.add(put("a" + i, "tables", "a" + i, Map.of("i", i), hlc(i)));
        two.add(put("b" + i, "tables", "b" + i, Map.of("i", i), hlc(i)));
      }
      h.store.push(h.edge(h.loc1), one);
      h.store.push(h.edge(h.loc2), two);
      h.store.push(
          new SyncStore.Writer(h.tenant, null, null, false),
          List.of(put("menu", "menu_items", "m1", Map.of("name", "Burger"), hlc(20))));

      List<String> seen = new ArrayList<>();
      long since = 0;
      int pages = 0;
      PullResponse page;
      do {
        page = h.store.pull(h.tenant, h.loc1, since, 3);
        page.changes().forEach(c -> seen.add(c.record().id()));
        since = page.nextSince();
        pages++;
      } while (page.hasMore());

      assertThat(seen).containsExactly("a0", "a1", "a2", "a3", "a4", "a5", "a6", "m1");
      assertThat(pages).isEqualTo(3);
      assertThat(since).isEqualTo(15L);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_concurrentTimePunchEdits_mergedFieldByField(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      h.store.push(
          h.edge(h.loc1),
          List.of(put("tp-1", "time_punches", "p1", Map.of("in", "09:00"), hlc(0))));

      // Two devices edited different fields, each based on the version before the other's edit.
      OpResult first =
          h.store
              .push(
                  h.edge(h.loc1),
                  List.of(
                      op(
                          "tp-2",
                          "time_punches",
                          "p1",
                          OpAction.PATCH,
                          Map.of("out", "17:00"),
                          0,
                          hlc(5))))
              .results()
              .get(0);
      OpResult second =
          h.store
              .push(
                  h.edge(h.loc1),
                  List.of(
                      op(
                          "tp-3",
                          "time_punches",
                          "p1",
                          OpAction.PATCH,
                          Map.of("break", 30),
                          0,
                          hlc(3))))
              .results()
              .get(0);

      assertThat(first.outcome()).isIn(Outcome.APPLIED, Outcome.MERGED);
      assertThat(second.outcome()).isEqualTo(Outcome.MERGED);
      assertThat(h.store.find(h.tenant, "time_punches", "p1").orElseThrow().state().data())
          .containsEntry("in", "09:00")
          .containsEntry("out", "17:00")
          .containsEntry("break", 30L);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_clockFarAhead_stampedWithCloudClockAndAuditedAsSkewed(Dialect dialect) {
    try (var h = new StoreHarness(dialect, tempDir)) {
      long tenMinutesAhead = hlc(10 * 60 * 1000);

      OpResult r =
          h.store
              .push(
                  h.edge(h.loc1),
                  List.of(put("sk-1", "tables", "t1", Map.of("a", 1), tenMinutesAhead)))
              .results()
              .get(0);

      assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(r.record().version()).isLessThan(tenMinutesAhead);
      assertThat(r.record().origin()).isEqualTo("cloud");
      List<ConflictLog.Entry> audit = h.conflicts.list(h.tenant, h.loc1, 0, 10);
      assertThat(audit).hasSize(1);
      assertThat(audit.get(0).skewed()).isTrue();
      assertThat(audit.get(0).server()).isNull();
    }
  }
}
