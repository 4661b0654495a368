package dev.olympus.edge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.olympus.edge.EdgeServer;
import dev.olympus.edge.EdgeSettings;
import dev.olympus.edge.config.ConfigFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EdgeConfigTest {
  @TempDir Path dir;

  int run(StringWriter err, String... args) {
    return run(new StringWriter(), err, args);
  }

  int run(StringWriter out, StringWriter err, String... args) {
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
  void heartbeatAndFullSyncAge_default30sAnd24h() {
    EdgeConfig c = EdgeConfig.load(dir);

    assertThat(c.heartbeatInterval(Map.of())).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.fullSyncAfter(Map.of())).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void configSet_heartbeatAndFullSyncAge_areStoredAndTheEnvironmentWins() {
    StringWriter err = new StringWriter();
    assertThat(
            run(err, "config", "set", "--heartbeat-seconds", "10", "--full-sync-after-hours", "48"))
        .isZero();

    EdgeConfig c = EdgeConfig.load(dir);
    assertThat(c.heartbeatInterval(Map.of())).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.fullSyncAfter(Map.of())).isEqualTo(Duration.ofHours(48));
    assertThat(c.heartbeatInterval(Map.of(EdgeConfig.HEARTBEAT_ENV, "5")))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(c.fullSyncAfter(Map.of(EdgeConfig.FULL_SYNC_AFTER_ENV, "12")))
        .isEqualTo(Duration.ofHours(12));
  }

  @Test
  void configSet_heartbeatOutOfRange_isRefusedWithTheRange() {
    StringWriter err = new StringWriter();

    assertThat(run(err, "config", "set", "--heartbeat-seconds", "0")).isEqualTo(1);

    assertThat(err.toString()).contains("--heartbeat-seconds must be from 1 to 3600, was 0");
  }

  @Test
  void status_afterAConfigSync_showsTheConfigVersionAndStatus() {
    String key = "oly_status-test-key-0123456789";
    StringWriter err = new StringWriter();
    run(err, "config", "set", "--location-id", "loc-1", "--api-key", key);
    try (EdgeServer edge =
        EdgeServer.start(
            EdgeSettings.of(dir, URI.create("http://127.0.0.1:1"), key, "loc-1")
                .withHost("127.0.0.1")
                .withPort(0)
                .withBackgroundSync(false))) {
      ConfigFixtures.load(edge, ConfigFixtures.payload(3));
    }
    StringWriter out = new StringWriter();

    assertThat(run(out, err, "status")).isZero();
    assertThat(out.toString()).contains("CONFIG: version 3, synced, last sync 20");

    out.getBuffer().setLength(0);
    assertThat(run(out, err, "status", "--json")).isZero();
    assertThat(out.toString()).contains("\"config\"").contains("\"sync_status\" : \"synced\"");
  }

  @Test
  void configSet_pruneOrdersAfterDays_isStoredAndTheEnvironmentWins() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    assertThat(run(out, err, "config", "set", "--prune-orders-after-days", "45")).isZero();

    assertThat(out.toString()).contains("synced orders pruned 45 days after their last change");
    EdgeConfig c = EdgeConfig.load(dir);
    assertThat(c.pruneOrdersAfterDays()).isEqualTo(45L);
    assertThat(c.pruneOrdersAfter(Map.of())).isEqualTo(Duration.ofDays(45));
    assertThat(c.pruneOrdersAfter(Map.of(EdgeConfig.PRUNE_ORDERS_AFTER_ENV, "7")))
        .isEqualTo(Duration.ofDays(7));
    assertThat(EdgeConfig.EMPTY.pruneOrdersAfter(Map.of())).isEqualTo(Duration.ofDays(30));
    out.getBuffer().setLength(0);
    assertThat(run(out, err, "config", "show")).isZero();
    assertThat(out.toString())
        .contains("pruning:     synced orders 45 days after their last change");
  }

  @Test
  void configSet_pruneOrdersAfterDaysOutOfRange_isRefusedWithTheRange() {
    StringWriter err = new StringWriter();

    assertThat(run(err, "config", "set", "--prune-orders-after-days", "0")).isEqualTo(1);

    assertThat(err.toString()).contains("--prune-orders-after-days must be from 1 to 3650, was 0");
    assertThatThrownBy(
            () ->
                EdgeConfig.EMPTY.pruneOrdersAfter(
                    Map.of(EdgeConfig.PRUNE_ORDERS_AFTER_ENV, "a month")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("OLYMPUS_EDGE_PRUNE_ORDERS_AFTER_DAYS")
        .hasMessageContaining("'a month'");
  }

  @Test
  void heartbeatInterval_badEnvironmentValue_namesTheVariable() {
    EdgeConfig c = EdgeConfig.load(dir);

    assertThatThrownBy(() -> c.heartbeatInterval(Map.of(EdgeConfig.HEARTBEAT_ENV, "thirty")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("OLYMPUS_EDGE_HEARTBEAT_SECONDS")
        .hasMessageContaining("'thirty'");
  }

  @Test
  void payments_fromTheEnvironment_limitsInCentsAndTheKeyNeverPrinted() {
    var p =
        EdgeConfig.payments(
            Map.of(
                EdgeConfig.CARD_FLOOR_LIMIT_ENV, "75.50",
                EdgeConfig.CARD_OUTAGE_LIMIT_ENV, "1000",
                EdgeConfig.STRIPE_KEY_ENV, "sk_test_secret_value",
                EdgeConfig.STRIPE_URL_ENV, "http://127.0.0.1:12111"));

    assertThat(p.floorLimitMinor()).isEqualTo(7_550);
    assertThat(p.outageLimitMinor()).isEqualTo(100_000);
    assertThat(p.settles()).isTrue();
    assertThat(p.stripeUrl()).isEqualTo(URI.create("http://127.0.0.1:12111"));
    assertThat(p.toString()).doesNotContain("sk_test_secret_value");
    assertThat(EdgeConfig.payments(Map.of()).floorLimitMinor()).isEqualTo(5_000);
    assertThat(EdgeConfig.payments(Map.of()).settles()).isFalse();
  }

  @Test
  void payments_badEnvironmentValues_nameTheVariable() {
    assertThatThrownBy(() -> EdgeConfig.payments(Map.of(EdgeConfig.CARD_FLOOR_LIMIT_ENV, "lots")))
        .hasMessageContaining(EdgeConfig.CARD_FLOOR_LIMIT_ENV);
    assertThatThrownBy(
            () ->
                EdgeConfig.payments(
                    Map.of(
                        EdgeConfig.CARD_FLOOR_LIMIT_ENV, "100",
                        EdgeConfig.CARD_OUTAGE_LIMIT_ENV, "50")))
        .hasMessageContaining(EdgeConfig.CARD_OUTAGE_LIMIT_ENV);
    assertThatThrownBy(() -> EdgeConfig.payments(Map.of(EdgeConfig.STRIPE_KEY_ENV, "pk_live_x")))
        .hasMessageContaining(EdgeConfig.STRIPE_KEY_ENV)
        .hasMessageNotContaining("pk_live_x");
  }
}
