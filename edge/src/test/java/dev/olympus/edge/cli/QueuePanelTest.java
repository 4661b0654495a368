package dev.olympus.edge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.edge.syncer.QueueStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueuePanelTest {
  static final Instant NOW = Instant.parse("2026-11-21T14:34:15Z");

  @Test
  void render_offlineQueue_showsSeedPanelSections() {
    QueueStatus s =
        new QueueStatus(
            "portland",
            "offline",
            128,
            List.of(
                new QueueStatus.Queued("payments", 38, "critical"),
                new QueueStatus.Queued("orders", 45, "high"),
                new QueueStatus.Queued("time_punches", 12, "high"),
                new QueueStatus.Queued("tables", 33, "normal"),
                new QueueStatus.Queued("menu_items", 0, "low")),
            120_000L,
            5_000L,
            Instant.parse("2026-11-21T09:00:00Z"),
            Instant.parse("2026-11-21T14:32:15Z"),
            Instant.parse("2026-11-21T14:30:42Z"),
            3,
            "cannot reach the cloud",
            45_000,
            0,
            17);

    String panel = QueuePanel.render(s, NOW, ZoneOffset.UTC);

    assertThat(panel)
        .contains("SYNC QUEUE")
        .contains("portland (Offline)")
        .contains("QUEUED OPERATIONS: 128")
        .contains("Payments: 38 (Priority: Critical)")
        .contains("Orders: 45 (Priority: High)")
        .contains("Time Punches: 12 (Priority: High)")
        .contains("Menu Items: 0 (Priority: Low)")
        .contains("Oldest: 2 min ago")
        .contains("Newest: 5 sec ago")
        .contains("ESTIMATED SYNC TIME: ~45 seconds (when online)")
        .contains("Offline since 14:32:15")
        .contains("Last sync: 14:30:42");
    // Every line of the box has the same width.
    assertThat(panel.lines().map(String::length).distinct()).hasSize(1);
    assertThat(panel.indexOf("Payments")).isLessThan(panel.indexOf("Orders"));
    assertThat(panel).contains("REVIEW: 0 (no op sent to manual review)");
  }

  @Test
  void reviewLine_opsInReview_countsThemAndSaysWhereToActOnThem() {
    assertThat(QueuePanel.reviewLine(1)).startsWith("REVIEW: 1 op sent to manual review");
    assertThat(QueuePanel.reviewLine(4))
        .startsWith("REVIEW: 4 ops sent to manual review, not blocking the queue")
        .contains("GET /api/v1/sync/review")
        .contains("the cloud's review queue");
  }

  @Test
  void render_emptyQueueOnline_saysSyncedAndNoDrainTime() {
    QueueStatus s =
        new QueueStatus(
            "downtown",
            "synced",
            0,
            List.of(),
            null,
            null,
            Instant.parse("2026-11-20T08:00:00Z"),
            null,
            Instant.parse("2026-11-21T14:34:10Z"),
            0,
            null,
            0,
            0,
            3);

    String panel = QueuePanel.render(s, NOW, ZoneOffset.UTC);

    assertThat(panel)
        .contains("downtown (Synced)")
        .contains("QUEUED OPERATIONS: 0")
        .contains("Oldest: -")
        .contains("none, the queue is empty")
        .contains("Online since 2026-11-20 08:00:00")
        .doesNotContain("when online");
  }

  @Test
  void drain_longQueues_areShownInMinutes() {
    assertThat(QueuePanel.drain(400)).isEqualTo("~1 second");
    assertThat(QueuePanel.drain(90_000)).isEqualTo("~90 seconds");
    assertThat(QueuePanel.drain(600_000)).isEqualTo("~10 minutes");
  }
}
