package dev.olympus.edge.pos;

import static dev.olympus.edge.TestEdges.API_KEY;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.outbox.OutboxEntry;
import dev.olympus.edge.store.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's LAN catch-up ({@code /api/v1/sync/pull}) and idempotent writes, offline. */
class LanPullAndIdempotencyTest {
  static final String POS_TOKEN = "oly_pos-terminal-token-abcdefghijklmnopqrstuvwxyz0";

  @TempDir Path dir;
  EdgeServer edge;
  String base;

  @BeforeEach
  void start() {
    edge = TestEdges.offlineEdge(dir);
    edge.devices().store(List.of(TestEdges.device("pos-1", "pos_terminal", POS_TOKEN, false)));
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterEach
  void stop() {
    edge.close();
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  HttpResponse<String> write(String method, String path, String body, String key) {
    return key == null
        ? send(method, base + path, POS_TOKEN, body)
        : send(method, base + path, POS_TOKEN, body, "Idempotency-Key", key);
  }

  JsonNode pull(long since, int limit) {
    var r =
        send("GET", base + "/api/v1/sync/pull?since=" + since + "&limit=" + limit, POS_TOKEN, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  // ---- pull ----

  @Test
  void pull_changesOfTheEdgeStream_areServedInLanSeqOrderWithTheLatestState() {
    write("PUT", "/api/v1/records/orders/o1", "{\"status\":\"pending\"}", null);
    write("PUT", "/api/v1/records/tables/t1", "{\"status\":\"available\"}", null);
    write("PATCH", "/api/v1/records/orders/o1", "{\"status\":\"ready\"}", null);

    JsonNode page = pull(0, 100);

    assertThat(page.get("has_more").asBoolean()).isFalse();
    assertThat(page.get("next_since").asLong()).isEqualTo(3);
    JsonNode changes = page.get("changes");
    assertThat(changes).hasSize(2);
    assertThat(changes.get(0).get("seq").asLong()).isEqualTo(2);
    assertThat(changes.get(0).get("record").get("id").asText()).isEqualTo("t1");
    JsonNode o1 = changes.get(1).get("record");
    assertThat(changes.get(1).get("seq").asLong()).isEqualTo(3);
    assertThat(o1.get("collection").asText()).isEqualTo("orders");
    assertThat(o1.get("data").get("status").asText()).isEqualTo("ready");
    assertThat(o1.get("origin").asText()).isEqualTo(edge.nodeId());
    assertThat(o1.get("version").asLong())
        .isEqualTo(edge.records().find("orders", "o1").orElseThrow().version());
    assertThat(pull(3, 100).get("changes")).isEmpty();
    assertThat(pull(3, 100).get("next_since").asLong()).isEqualTo(3);
  }

  @Test
  void pull_whileTerminalsWrite_pagesNeverSkipAChange() throws Exception {
    int writers = 4;
    int perWriter = 150;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perWriter; i++) {
                  String id = "w" + writer + "-" + (i % 40);
                  var r = write("PUT", "/api/v1/records/orders/" + id, "{\"n\":" + i + "}", null);
                  assertThat(r.statusCode()).isBetween(200, 201);
                }
                return null;
              }));
    }
    Map<String, Long> seen = new HashMap<>();
    long since = 0;
    long lastSeq = 0;
    go.countDown();
    boolean writing = true;
    while (true) {
      writing = done.stream().anyMatch(f -> !f.isDone());
      JsonNode page = pull(since, 7);
      for (JsonNode c : page.get("changes")) {
        long seq = c.get("seq").asLong();
        assertThat(seq).isGreaterThan(lastSeq);
        lastSeq = seq;
        JsonNode r = c.get("record");
        seen.put(r.get("id").asText(), r.get("version").asLong());
      }
      since = page.get("next_since").asLong();
      if (!writing && !page.get("has_more").asBoolean()) {
        break;
      }
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    // A reader that applied every page holds exactly the edge's records, each at its last version.
    Map<String, Long> truth = new HashMap<>();
    for (var r : edge.records().list("orders", null, 1000)) {
      truth.put(r.id(), r.version());
    }
    assertThat(truth).hasSize(writers * 40);
    assertThat(seen).isEqualTo(truth);
  }

  @Test
  void pull_badSinceOrLimit_is400NamingTheParameter() {
    for (String q : new String[] {"since=-1", "since=x", "limit=0", "limit=10001", "limit=a"}) {
      var r = send("GET", base + "/api/v1/sync/pull?" + q, POS_TOKEN, null);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(json(r).get("field").asText()).isEqualTo(q.substring(0, q.indexOf('=')));
    }
  }

  @Test
  void pull_withoutToken_is401() {
    assertThat(send("GET", base + "/api/v1/sync/pull?since=0", null, null).statusCode())
        .isEqualTo(401);
    assertThat(send("GET", base + "/api/v1/sync/pull", API_KEY, null).statusCode()).isEqualTo(200);
  }

  // ---- Idempotency-Key ----

  @Test
  void put_sameKeyTwice_appliesOnceAndAnswersTheSameRecord() {
    String key = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";
    var first = write("PUT", "/api/v1/records/orders/o1", "{\"total\":100}", key);
    long seqAfterFirst = edge.records().latestLanSeq();
    var again = write("PUT", "/api/v1/records/orders/o1", "{\"total\":100}", key);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(json(again)).isEqualTo(json(first));
    assertThat(again.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(edge.records().latestLanSeq()).isEqualTo(seqAfterFirst);
    List<OutboxEntry> queued = edge.outbox().nextBatch(Outbox.Cursor.START, 10);
    assertThat(queued).singleElement().satisfies(op -> assertThat(op.opId()).isEqualTo(key));
  }

  @Test
  void patch_sameKeyAfterTheOpWasPushedAndDeleted_isAnsweredAndNotReapplied() {
    write("PUT", "/api/v1/records/orders/o2", "{\"items\":1}", "put-key-1");
    var first = write("PATCH", "/api/v1/records/orders/o2", "{\"items\":2}", "patch-key-1");
    List<OutboxEntry> batch = edge.outbox().nextBatch(Outbox.Cursor.START, 10);
    List<OpResult> answers = new ArrayList<>();
    for (OutboxEntry e : batch) {
      answers.add(new OpResult(e.opId(), Outcome.APPLIED, 1L, null, null, null));
    }
    edge.outbox().complete(batch, answers);
    assertThat(edge.outbox().size()).isZero();
    // Another terminal changes the order meanwhile.
    write("PATCH", "/api/v1/records/orders/o2", "{\"items\":5}", null);
    long seq = edge.records().latestLanSeq();
    long queued = edge.outbox().size();

    var retry = write("PATCH", "/api/v1/records/orders/o2", "{\"items\":2}", "patch-key-1");

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(json(retry).get("data").get("items").asInt()).isEqualTo(5); // the current record
    assertThat(json(first).get("data").get("items").asInt()).isEqualTo(2);
    assertThat(edge.records().latestLanSeq()).isEqualTo(seq);
    assertThat(edge.outbox().size()).isEqualTo(queued);
  }

  @Test
  void delete_sameKeyTwice_queuesOneDelete() {
    write("PUT", "/api/v1/records/tables/t1", "{\"seats\":2}", null);
    long before = edge.outbox().size();
    var a = write("DELETE", "/api/v1/records/tables/t1", null, "del-1");
    var b = write("DELETE", "/api/v1/records/tables/t1", null, "del-1");
    assertThat(a.statusCode()).isEqualTo(200);
    assertThat(b.statusCode()).isEqualTo(200);
    assertThat(json(b).get("deleted").asBoolean()).isTrue();
    assertThat(edge.outbox().size()).isEqualTo(before + 1);
  }

  @Test
  void patch_refusedWithAKey_retryGetsTheSameRefusalEvenAfterTheRecordAppears() {
    var first = write("PATCH", "/api/v1/records/orders/o3", "{\"a\":1}", "k-refused");
    write("PUT", "/api/v1/records/orders/o3", "{\"a\":0}", null);
    var retry = write("PATCH", "/api/v1/records/orders/o3", "{\"a\":1}", "k-refused");

    assertThat(first.statusCode()).isEqualTo(404);
    assertThat(retry.statusCode()).isEqualTo(404);
    assertThat(json(retry)).isEqualTo(json(first));
    assertThat(edge.records().find("orders", "o3").orElseThrow().data()).containsEntry("a", 0L);
  }

  @Test
  void write_keyReusedForAnotherRecord_is409NamingTheHeader() {
    write("PUT", "/api/v1/records/orders/o4", "{}", "shared-key");
    var r = write("PUT", "/api/v1/records/orders/o5", "{}", "shared-key");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json(r).get("error").asText()).isEqualTo("idempotency_key_reused");
    assertThat(json(r).get("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(json(r).get("message").asText()).contains("orders/o4");
    assertThat(edge.records().find("orders", "o5")).isEmpty();
  }

  @Test
  void write_invalidKey_is400NamingTheHeader() {
    for (String key : new String[] {"has space", "x".repeat(129), "ä"}) {
      var r = write("PUT", "/api/v1/records/orders/o6", "{}", key);
      assertThat(r.statusCode()).as(key).isEqualTo(400);
      assertThat(json(r).get("field").asText()).isEqualTo("Idempotency-Key");
      assertThat(json(r).get("message").asText()).contains("Idempotency-Key");
    }
    assertThat(edge.records().find("orders", "o6")).isEmpty();
  }
}
