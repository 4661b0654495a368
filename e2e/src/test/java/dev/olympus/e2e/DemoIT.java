package dev.olympus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code olympus demo} as a user runs it, from the packaged jar, shortened: a cloud and two edges
 * with their terminals, Oakland's outage and return, and the status panel.
 */
class DemoIT {
  private static final Pattern ROW =
      Pattern.compile(
          "(Downtown SF|Oakland)\\s+(\\w+)\\s+.*?\\s(synced|syncing|OFFLINE|offline|"
              + "error)\\s+(\\d+)\\s+(\\d+) / (\\d+)\\s+(\\d+) / (\\d+)");

  @Test
  void demo_shortRun_bothLocationsSyncAndOaklandRecoversFromItsOutage(@TempDir Path dir)
      throws Exception {
    OlympusProcess demo =
        OlympusProcess.start(
            "demo",
            dir,
            Map.of(),
            "demo",
            "--port",
            Integer.toString(OlympusProcess.freePort()),
            "--data-dir",
            dir.resolve("data").toString(),
            "--duration",
            "30",
            "--offline-after",
            "5",
            "--offline-for",
            "8",
            "--status-every",
            "3");
    try {
      assertThat(demo.waitFor(180, TimeUnit.SECONDS)).as("the demo ended: %s", demo).isTrue();
      String out = demo.output();
      assertThat(demo.exitValue()).as(out).isZero();
      assertThat(out)
          .contains("Oakland loses its internet link for 8 s")
          .contains("Oakland is back online with");

      List<String[]> rows = new ArrayList<>();
      Matcher m = ROW.matcher(out);
      while (m.find()) {
        rows.add(new String[] {m.group(1), m.group(3), m.group(4), m.group(5), m.group(6)});
      }
      assertThat(rows).as(out).isNotEmpty();
      assertThat(rows)
          .as("Oakland's panel showed it offline with work queued")
          .anySatisfy(
              r -> {
                assertThat(r[0]).isEqualTo("Oakland");
                assertThat(r[1]).isEqualTo("OFFLINE");
                assertThat(Integer.parseInt(r[2])).isPositive();
              });
      for (String location : List.of("Downtown SF", "Oakland")) {
        String[] last =
            rows.stream().filter(r -> r[0].equals(location)).reduce((a, b) -> b).orElseThrow();
        assertThat(last[1])
            .as("%s at the end: %s", location, String.join(" ", last))
            .isNotEqualTo("OFFLINE");
        assertThat(Integer.parseInt(last[4]))
            .as("%s's orders in the cloud at the end", location)
            .isPositive();
      }
    } finally {
      demo.close();
    }
  }
}
