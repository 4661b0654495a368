package dev.olympus.edge.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.store.Database;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storing a page of the cloud's changes looks each record up by its key, whatever the number of
 * records the edge holds: SQLite's plan searches the primary key and the outbox's index, and never
 * scans a table (a scan per chunk made every pull slower as the day's orders piled up).
 */
class RecordLookupPlanTest {
  @TempDir Path dir;
  Database db;

  @BeforeEach
  void open() {
    db = EdgeDatabase.open(dir, "oly_test", "loc-1");
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void storedRecordsAmongAPage_searchThePrimaryKey() {
    List<String> plan = plan(RecordStore.storedAmongSql(3), 3);
    assertThat(plan).anyMatch(step -> step.contains("SEARCH r USING PRIMARY KEY"));
    assertThat(plan).noneMatch(step -> step.contains("SCAN records") || step.contains("SCAN r"));
  }

  @Test
  void queuedOpsAmongAPage_searchTheOutboxIndex() {
    List<String> plan = plan(RecordStore.queuedAmongSql(3), 3);
    assertThat(plan).anyMatch(step -> step.contains("SEARCH o USING COVERING INDEX outbox_record"));
    assertThat(plan).noneMatch(step -> step.contains("SCAN outbox") || step.contains("SCAN o"));
  }

  private List<String> plan(String sql, int pairs) {
    return db.jdbi()
        .withHandle(
            h -> {
              var q = h.createQuery("EXPLAIN QUERY PLAN " + sql);
              for (int i = 0; i < pairs * 2; i++) {
                q.bind(i, "x" + i);
              }
              return q.map((rs, ctx) -> rs.getString("detail")).list();
            });
  }
}
