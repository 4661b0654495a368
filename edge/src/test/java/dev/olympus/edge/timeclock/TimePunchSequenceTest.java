package dev.olympus.edge.timeclock;

import static dev.olympus.edge.RestaurantFixtures.POS_TOKEN;
import static dev.olympus.edge.RestaurantFixtures.json;
import static dev.olympus.edge.TestEdges.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.RestaurantFixtures;
import dev.olympus.edge.pos.ApiException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Punches must follow each other: in, (break start, break end)*, out; offline and across restarts.
 */
class TimePunchSequenceTest {
  @TempDir static Path dir;
  static EdgeServer edge;
  static String base;

  @BeforeAll
  static void start() {
    edge = RestaurantFixtures.start(dir, s -> s);
    base = "http://127.0.0.1:" + edge.port();
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  static HttpResponse<String> punch(String employee, String type, String... headers) {
    return send(
        "POST",
        base + "/api/v1/time-punches",
        POS_TOKEN,
        "{\"employee_id\":\""
            + employee
            + "\",\"pin\":\""
            + RestaurantFixtures.PIN
            + "\",\"type\":\""
            + type
            + "\"}",
        headers);
  }

  static void refused(HttpResponse<String> r, String expectedNext) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
    var e = json(r);
    assertThat(e.get("error").asText()).isEqualTo("punch_out_of_sequence");
    assertThat(e.get("field").asText()).isEqualTo("type");
    assertThat(e.get("message").asText()).contains("must be " + expectedNext);
  }

  @Test
  void outOfSequencePunches_are409_andStoreNothing() {
    long before = edge.records().countLive("time_punches");
    refused(punch("emp-mgr", "clock_out"), "clock_in");
    refused(punch("emp-mgr", "break_end"), "clock_in");
    refused(punch("emp-mgr", "break_start"), "clock_in");
    assertThat(edge.records().countLive("time_punches")).isEqualTo(before);

    assertThat(punch("emp-mgr", "clock_in").statusCode()).isEqualTo(201);
    refused(punch("emp-mgr", "clock_in"), "clock_out or break_start");
    refused(punch("emp-mgr", "break_end"), "clock_out or break_start");

    assertThat(punch("emp-mgr", "break_start").statusCode()).isEqualTo(201);
    refused(punch("emp-mgr", "break_start"), "break_end");
    refused(punch("emp-mgr", "clock_out"), "break_end");
    refused(punch("emp-mgr", "clock_in"), "break_end");

    assertThat(punch("emp-mgr", "break_end").statusCode()).isEqualTo(201);
    assertThat(punch("emp-mgr", "clock_out").statusCode()).isEqualTo(201);
    refused(punch("emp-mgr", "clock_out"), "clock_in");
    assertThat(punch("emp-mgr", "clock_in").statusCode()).isEqualTo(201);
    assertThat(edge.records().countLive("time_punches")).isEqualTo(before + 5);
  }

  @Test
  void sequence_survivesARestart() {
    assertThat(punch("emp-1", "clock_in").statusCode()).isEqualTo(201);
    edge.close();
    edge = RestaurantFixtures.start(dir, s -> s);
    base = "http://127.0.0.1:" + edge.port();

    refused(punch("emp-1", "clock_in"), "clock_out or break_start");
    assertThat(punch("emp-1", "clock_out").statusCode()).isEqualTo(201);
  }

  @Test
  void concurrentClockIns_oneIsStored_theOthersAre409() throws Exception {
    int out = punch("emp-1", "clock_out").statusCode(); // off the clock, whatever ran before
    assertThat(out).isIn(201, 409);
    long before = edge.records().countLive("time_punches");
    List<Integer> statuses;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(pool.submit(() -> punch("emp-1", "clock_in").statusCode()));
      }
      statuses = new ArrayList<>();
      for (Future<Integer> f : calls) {
        statuses.add(f.get());
      }
    }
    assertThat(statuses).containsExactlyInAnyOrder(201, 409, 409, 409);
    assertThat(edge.records().countLive("time_punches")).isEqualTo(before + 1);
    assertThat(punch("emp-1", "clock_out").statusCode()).isEqualTo(201);
  }

  @Test
  void requireInSequence_namesTheLastPunch() {
    assertThatThrownBy(() -> TimePunches.requireInSequence("break_end", Optional.of("clock_in")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("last punch (clock_in)")
        .hasMessageContaining("on the clock");
  }
}
