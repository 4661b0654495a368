package dev.olympus.edge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EdgeCommandTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cl = new CommandLine(new EdgeCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dir.toString();
    return cl.execute(all);
  }

  @Test
  void configSet_eachSetting_isStoredInEdgeJsonReadableByOwnerOnly() throws Exception {
    assertThat(run("config", "set", "--location-id", "loc-7")).isZero();
    assertThat(run("config", "set", "--api-key", "oly_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg"))
        .isZero();
    assertThat(run("config", "set", "--cloud-url", "http://cloud.local:8080/")).isZero();

    EdgeConfig c = EdgeConfig.load(dir);
    assertThat(c.locationId()).isEqualTo("loc-7");
    assertThat(c.apiKey()).isEqualTo("oly_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg");
    assertThat(c.cloudUrl()).isEqualTo("http://cloud.local:8080");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("edge.json"))))
        .isEqualTo("rw-------");
  }

  @Test
  void configShow_redactsTheApiKey() {
    run("config", "set", "--location-id", "loc-7", "--api-key", "oly_secretsecretsecretXYZW");
    out.getBuffer().setLength(0);

    assertThat(run("config", "show")).isZero();

    assertThat(out.toString())
        .contains("location id: loc-7")
        .contains("cloud url:   (not set)")
        .contains("oly_se…XYZW (redacted)")
        .doesNotContain("secretsecret");
  }

  @Test
  void configSet_invalidCloudUrl_failsWithAHint() {
    assertThat(run("config", "set", "--cloud-url", "cloud.local")).isEqualTo(1);
    assertThat(err.toString()).contains("cloud URL 'cloud.local' is not valid").contains("http");
    assertThat(Files.exists(dir.resolve("edge.json"))).isFalse();
  }

  @Test
  void start_withoutCloudUrl_saysWhichCommandSetsIt() {
    run("config", "set", "--location-id", "loc-7", "--api-key", "oly_key");
    assertThat(run("start", "--port", "0")).isEqualTo(1);
    assertThat(err.toString())
        .contains("no cloud URL set: run ./olympus edge config set --cloud-url URL");
  }

  @Test
  void status_beforeAnyConfig_saysHowToSetTheLocation() {
    assertThat(run("status")).isEqualTo(1);
    assertThat(err.toString()).contains("./olympus edge config set --location-id L");
  }

  @Test
  void status_edgeStoppedWithQueuedOps_printsThePanelFromTheLocalDatabase() {
    String key = "oly_status-test-key-0123456789";
    run(
        "config",
        "set",
        "--location-id",
        "loc-9",
        "--api-key",
        key,
        "--cloud-url",
        "http://127.0.0.1:1");
    EdgeSettings s =
        EdgeSettings.of(dir, URI.create("http://127.0.0.1:1"), key, "loc-9")
            .withHost("127.0.0.1")
            .withPort(0)
            .withBackgroundSync(false)
            .withRequestTimeout(Duration.ofSeconds(5));
    try (EdgeServer edge = EdgeServer.start(s)) {
      edge.records().put("orders", "o1", Map.of("t", 1), OptionalLong.empty());
      edge.records().put("orders", "o2", Map.of("t", 1), OptionalLong.empty());
      edge.records().put("payments", "p1", Map.of("t", 1), OptionalLong.empty());
      try {
        edge.syncNow();
      } catch (Exception expected) {
        // the cloud is unreachable: the edge records that it is offline
      }
    }
    out.getBuffer().setLength(0);

    assertThat(run("status")).isZero();

    assertThat(out.toString())
        .contains("loc-9 (Offline)")
        .contains("QUEUED OPERATIONS: 3")
        .contains("Payments: 1 (Priority: Critical)")
        .contains("Orders: 2 (Priority: High)")
        .contains("(when online)")
        .contains("Offline since")
        .contains("Last sync: never");
  }

  @Test
  void status_opSentToReview_showsTheReviewCountAndListsItInJson() throws Exception {
    String key = "oly_status-test-key-0123456789";
    run("config", "set", "--location-id", "loc-9", "--api-key", key);
    EdgeSettings s =
        EdgeSettings.of(dir, URI.create("http://127.0.0.1:1"), key, "loc-9")
            .withHost("127.0.0.1")
            .withPort(0)
            .withBackgroundSync(false);
    String opId;
    try (EdgeServer edge = EdgeServer.start(s)) {
      edge.records().put("orders", "o-bad", Map.of("t", 1), OptionalLong.empty());
      var batch = edge.outbox().nextBatch(dev.olympus.edge.outbox.Outbox.Cursor.START, 10);
      opId = batch.get(0).opId();
      edge.outbox()
          .complete(
              batch,
              java.util.List.of(
                  new dev.olympus.core.sync.OpResult(
                      opId,
                      dev.olympus.core.sync.Outcome.REJECTED,
                      null,
                      null,
                      new dev.olympus.core.sync.ApiError("invalid_field", "t is wrong", "t"),
                      true)));
    }
    out.getBuffer().setLength(0);

    assertThat(run("status")).isZero();
    assertThat(out.toString()).contains("REVIEW: 1 op sent to manual review");

    out.getBuffer().setLength(0);
    assertThat(run("status", "--json")).isZero();
    var json = dev.olympus.edge.store.Json.MAPPER.readTree(out.toString());
    assertThat(json.get("dead_letters").asLong()).isEqualTo(1);
    assertThat(json.get("review")).hasSize(1);
    assertThat(json.get("review").get(0).get("op_id").asText()).isEqualTo(opId);
    assertThat(json.get("review").get(0).get("record_id").asText()).isEqualTo("o-bad");
    assertThat(json.get("review").get(0).get("error").get("error").asText())
        .isEqualTo("invalid_field");
  }
}
