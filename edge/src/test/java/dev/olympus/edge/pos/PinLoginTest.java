package dev.olympus.edge.pos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.TestEdges;
import dev.olympus.edge.config.ConfigFixtures;
import dev.olympus.edge.store.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/auth/pin} on an edge whose cloud is down: the synced config is enough. */
class PinLoginTest {
  @TempDir Path dir;
  EdgeServer edge;

  @BeforeEach
  void start() {
    edge = TestEdges.offlineEdge(dir);
    ConfigFixtures.load(edge, ConfigFixtures.payload(3));
  }

  @AfterEach
  void stop() {
    edge.close();
  }

  HttpResponse<String> login(String body) {
    return TestEdges.send(
        "POST", "http://127.0.0.1:" + edge.port() + "/api/v1/auth/pin", TestEdges.API_KEY, body);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void pinLogin_rightPin_answersTheEmployeeWithRoleAndPrivileges() throws Exception {
    var r = login("{\"employee_id\":\"emp-1\",\"pin\":\"" + ConfigFixtures.PIN + "\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode b = json(r);
    assertThat(b.get("employee_id").asText()).isEqualTo("emp-1");
    assertThat(b.get("first_name").asText()).isEqualTo("Ada");
    assertThat(b.get("last_name").asText()).isEqualTo("Lovelace");
    assertThat(b.get("role_id").asText()).isEqualTo("role-mgr");
    assertThat(b.get("role_name").asText()).isEqualTo("Manager");
    assertThat(b.get("privileges").toString()).isEqualTo("[\"void_item\",\"open_drawer\"]");
    assertThat(r.body()).doesNotContain("pin_hash");
  }

  @Test
  void pinLogin_wrongPinUnknownOrTerminatedEmployee_allGetTheSame401() throws Exception {
    var wrong = login("{\"employee_id\":\"emp-1\",\"pin\":\"0000\"}");
    var unknown = login("{\"employee_id\":\"emp-404\",\"pin\":\"" + ConfigFixtures.PIN + "\"}");
    var terminated = login("{\"employee_id\":\"emp-2\",\"pin\":\"" + ConfigFixtures.PIN + "\"}");

    for (var r : java.util.List.of(wrong, unknown, terminated)) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
      assertThat(json(r).get("error").asText()).isEqualTo("invalid_credentials");
    }
    assertThat(unknown.body()).isEqualTo(wrong.body());
    assertThat(terminated.body()).isEqualTo(wrong.body());
  }

  @Test
  void pinLogin_badInput_answers400NamingTheField() throws Exception {
    var notJson = login("{\"employee_id\":");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(notJson).get("error").asText()).isEqualTo("invalid_json");

    var notObject = login("[1,2]");
    assertThat(notObject.statusCode()).isEqualTo(400);
    assertThat(json(notObject).get("message").asText()).contains("employee_id");

    var missing = login("{\"pin\":\"1234\"}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(json(missing).get("error").asText()).isEqualTo("missing_field");
    assertThat(json(missing).get("field").asText()).isEqualTo("employee_id");

    var wrongType = login("{\"employee_id\":\"emp-1\",\"pin\":4821}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(json(wrongType).get("field").asText()).isEqualTo("pin");
    assertThat(json(wrongType).get("message").asText()).contains("must be a string");

    var empty = login("{\"employee_id\":\"\",\"pin\":\"1\"}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).get("field").asText()).isEqualTo("employee_id");
  }

  @Test
  void pinLogin_oversizedBody_answers413() throws Exception {
    var r = login("{\"employee_id\":\"emp-1\",\"pin\":\"" + "9".repeat(10_000) + "\"}");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("error").asText()).isEqualTo("body_too_large");
  }

  @Test
  void pinLogin_withoutADeviceToken_answers401() {
    var r =
        TestEdges.send(
            "POST",
            "http://127.0.0.1:" + edge.port() + "/api/v1/auth/pin",
            null,
            "{\"employee_id\":\"emp-1\",\"pin\":\"4821\"}");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("Bearer");
  }

  @Test
  void pinLogin_afterFiveWrongPins_answers429WithRetryAfterEvenForTheRightPin() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(login("{\"employee_id\":\"emp-1\",\"pin\":\"000" + i + "\"}").statusCode())
          .isEqualTo(401);
    }

    var throttled = login("{\"employee_id\":\"emp-1\",\"pin\":\"" + ConfigFixtures.PIN + "\"}");

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(json(throttled).get("error").asText()).isEqualTo("too_many_attempts");
    long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 60L);
    // Another employee on the same terminal is not locked out.
    var other = login("{\"employee_id\":\"emp-404\",\"pin\":\"1\"}");
    assertThat(other.statusCode()).isEqualTo(401);
  }

  @Test
  void configStatus_afterASync_showsTheVersion() throws Exception {
    var r =
        TestEdges.send(
            "GET",
            "http://127.0.0.1:" + edge.port() + "/api/v1/config/status",
            TestEdges.API_KEY,
            null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode b = json(r);
    assertThat(b.get("version").asLong()).isEqualTo(3);
    assertThat(b.get("sync_status").asText()).isEqualTo("synced");
    assertThat(b.get("last_full_sync_at").asText()).isNotBlank();
  }
}
