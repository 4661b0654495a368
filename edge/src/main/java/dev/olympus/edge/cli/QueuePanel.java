package dev.olympus.edge.cli;

import dev.olympus.edge.syncer.QueueStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders the sync queue as seed 000's SYNC QUEUE panel, for {@code olympus edge status}. */
public final class QueuePanel {
  private static final int WIDTH = 66;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private QueuePanel() {}

  /** The panel as text lines joined by newlines; times shown in {@code zone}. */
  public static String render(QueueStatus s, Instant now, ZoneId zone) {
    List<String> body = new ArrayList<>();
    body.add("");
    body.add("QUEUED OPERATIONS: " + s.pendingCount());
    body.add("─".repeat(WIDTH - 4));
    for (QueueStatus.Queued q : s.queued()) {
      body.add(
          label(q.collection())
              + ": "
              + q.count()
              + " (Priority: "
              + capitalize(q.priority())
              + ")");
    }
    if (s.queued().isEmpty()) {
      body.add("(nothing queued)");
    }
    body.add("");
    body.add(reviewLine(s.deadLetters()));
    body.add("");
    body.add("QUEUE AGE");
    body.add("─".repeat(WIDTH - 4));
    body.add("Oldest: " + (s.oldestPendingAgeMs() == null ? "-" : ago(s.oldestPendingAgeMs())));
    body.add("Newest: " + (s.newestPendingAgeMs() == null ? "-" : ago(s.newestPendingAgeMs())));
    body.add("");
    body.add(
        "ESTIMATED SYNC TIME: "
            + (s.pendingCount() == 0 ? "none, the queue is empty" : drain(s.estimatedDrainMs()))
            + (s.offline() ? " (when online)" : ""));
    body.add("");
    if (s.offline()) {
      body.add("⚠ Offline since " + time(s.offlineSince(), now, zone));
    } else if (s.onlineSince() != null) {
      body.add("● Online since " + time(s.onlineSince(), now, zone));
    } else {
      body.add("○ Not connected to the cloud yet");
    }
    body.add("Last sync: " + (s.lastSync() == null ? "never" : time(s.lastSync(), now, zone)));
    if (s.consecutiveFailures() > 0) {
      body.add("Failed attempts in a row: " + s.consecutiveFailures());
      if (s.lastError() != null) {
        body.add("Last error: " + s.lastError());
      }
    }
    body.add("");

    String state =
        switch (s.status()) {
          case "offline" -> "Offline";
          case "error" -> "Error";
          case "syncing" -> "Syncing";
          default -> "Synced";
        };
    String title = "SYNC QUEUE";
    String right = s.locationId() + " (" + state + ")";
    StringBuilder out = new StringBuilder();
    out.append('┌').append("─".repeat(WIDTH - 2)).append("┐\n");
    int gap = Math.max(1, WIDTH - 4 - title.length() - right.length());
    out.append(line(title + " ".repeat(gap) + right));
    out.append('├').append("─".repeat(WIDTH - 2)).append("┤\n");
    for (String b : body) {
      for (String part : wrap(b, WIDTH - 4)) {
        out.append(line(part));
      }
    }
    out.append('└').append("─".repeat(WIDTH - 2)).append("┘\n");
    return out.toString();
  }

  /**
   * The ops the cloud rejected {@code retry_attempts} times: they left the queue (nothing waits
   * behind them) and wait for a person in the cloud's review queue.
   */
  static String reviewLine(long inReview) {
    if (inReview == 0) {
      return "REVIEW: 0 (no op sent to manual review)";
    }
    return "REVIEW: "
        + inReview
        + (inReview == 1 ? " op" : " ops")
        + " sent to manual review, not blocking the queue (list: --json or GET"
        + " /api/v1/sync/review; requeue or discard in the cloud's review queue)";
  }

  private static String line(String text) {
    return "│ " + text + " ".repeat(Math.max(0, WIDTH - 4 - text.length())) + " │\n";
  }

  private static List<String> wrap(String text, int width) {
    List<String> parts = new ArrayList<>();
    String rest = text;
    while (rest.length() > width) {
      parts.add(rest.substring(0, width));
      rest = "  " + rest.substring(width);
    }
    parts.add(rest);
    return parts;
  }

  /** {@code time_punches} → {@code Time Punches}. */
  static String label(String collection) {
    StringBuilder b = new StringBuilder();
    for (String word : collection.split("_")) {
      if (word.isEmpty()) {
        continue;
      }
      if (!b.isEmpty()) {
        b.append(' ');
      }
      b.append(capitalize(word));
    }
    return b.toString();
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  static String ago(long millis) {
    long s = millis / 1000;
    if (s < 60) {
      return s + " sec ago";
    }
    if (s < 3600) {
      return (s / 60) + " min ago";
    }
    if (s < 86_400) {
      return (s / 3600) + " h ago";
    }
    return (s / 86_400) + " days ago";
  }

  static String drain(long millis) {
    long s = Math.max(1, (millis + 999) / 1000);
    if (s < 120) {
      return "~" + s + (s == 1 ? " second" : " seconds");
    }
    return "~" + Duration.ofSeconds(s).toMinutes() + " minutes";
  }

  private static String time(Instant t, Instant now, ZoneId zone) {
    LocalDate day = t.atZone(zone).toLocalDate();
    boolean today = day.equals(now.atZone(zone).toLocalDate());
    return (today ? TIME : DATE_TIME).format(t.atZone(zone));
  }
}
