package dev.olympus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite statements are reused across calls and handles, and reuse never leaks one call's
 * parameters, rows or failure into the next.
 */
class CachedStatementsTest {
  private static final String KEY =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

  @TempDir Path dir;
  Database db;
  Jdbi jdbi;

  @BeforeEach
  void open() {
    db = Database.encryptedSqlite(dir.resolve("cache.db"), KEY);
    jdbi = db.jdbi();
    jdbi.useHandle(h -> h.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void theSameStatementAcrossHandles_seesEachCallsOwnParameters() {
    for (int i = 0; i < 50; i++) {
      int n = i;
      jdbi.useTransaction(
          h ->
              h.createUpdate("INSERT INTO t (id, n) VALUES (?, ?)")
                  .bind(0, "r" + n)
                  .bind(1, n)
                  .execute());
    }
    for (int i = 0; i < 50; i++) {
      int n = i;
      assertThat(number(jdbi, "SELECT n FROM t WHERE id = ?", "r" + n)).isEqualTo(n);
    }
  }

  @Test
  void aStatement_isPreparedOnce_andLentToOneCallAtATime() {
    Set<Statement> used = Collections.newSetFromMap(new IdentityHashMap<>());
    StatementCustomizer record =
        new StatementCustomizer() {
          @Override
          public void beforeExecution(PreparedStatement stmt, StatementContext ctx) {
            used.add(stmt);
          }
        };
    String sql = "SELECT count(*) FROM t WHERE n >= ?";
    for (int i = 0; i < 5; i++) {
      jdbi.useHandle(
          h -> h.createQuery(sql).bind(0, 0).addCustomizer(record).mapTo(Integer.class).one());
    }
    assertThat(used).as("five calls on five handles, one statement").hasSize(1);
    jdbi.useHandle(
        h -> {
          try (var outer =
              h.createQuery(sql).bind(0, 0).addCustomizer(record).mapTo(Integer.class).iterator()) {
            h.createQuery(sql).bind(0, 0).addCustomizer(record).mapTo(Integer.class).one();
          }
        });
    assertThat(used).as("a nested call while the first is open gets its own").hasSize(2);
  }

  @Test
  void aNestedRunOfTheSameQuery_whileTheFirstIsOpen_readsItsOwnRows() {
    jdbi.useHandle(
        h -> {
          for (int i = 0; i < 5; i++) {
            h.execute("INSERT INTO t (id, n) VALUES (?, ?)", "r" + i, i);
          }
          List<String> pairs = new ArrayList<>();
          String sql = "SELECT id, n FROM t WHERE n >= ? ORDER BY n";
          try (var outer = h.createQuery(sql).bind(0, 3).mapToMap().iterator()) {
            while (outer.hasNext()) {
              Map<String, Object> row = outer.next();
              List<Map<String, Object>> inner = h.createQuery(sql).bind(0, 4).mapToMap().list();
              pairs.add(row.get("id") + ":" + inner.size());
            }
          }
          assertThat(pairs).containsExactly("r3:1", "r4:1");
        });
  }

  @Test
  void aStatementThatFailed_isReusedCleanly() {
    jdbi.useHandle(h -> h.execute("INSERT INTO t (id, n) VALUES (?, ?)", "dup", 1));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(
              () -> jdbi.useHandle(h -> h.execute("INSERT INTO t (id, n) VALUES (?, ?)", "dup", 2)))
          .hasMessageContaining("UNIQUE");
      int n = i;
      jdbi.useHandle(h -> h.execute("INSERT INTO t (id, n) VALUES (?, ?)", "ok" + n, n));
    }
    assertThat(number(jdbi, "SELECT count(*) FROM t")).isEqualTo(4);
    assertThat(number(jdbi, "SELECT n FROM t WHERE id = 'dup'")).isEqualTo(1);
  }

  @Test
  void aBatchRunTwice_sendsOnlyItsOwnRows() {
    for (int round = 0; round < 2; round++) {
      int r = round;
      int[] counts =
          jdbi.inTransaction(
              h -> {
                PreparedBatch batch = h.prepareBatch("INSERT INTO t (id, n) VALUES (?, ?)");
                for (int i = 0; i < 3; i++) {
                  batch.bind(0, r + "-" + i).bind(1, i).add();
                }
                return batch.execute();
              });
      assertThat(counts).hasSize(3);
    }
    assertThat(number(jdbi, "SELECT count(*) FROM t")).isEqualTo(6);
  }

  @Test
  void aRolledBackTransaction_leavesNothing_andTheNextOneCommits() {
    assertThatThrownBy(
            () ->
                jdbi.useTransaction(
                    h -> {
                      h.execute("INSERT INTO t (id, n) VALUES (?, ?)", "gone", 1);
                      throw new IllegalStateException("refused");
                    }))
        .hasMessage("refused");
    jdbi.useTransaction(h -> h.execute("INSERT INTO t (id, n) VALUES (?, ?)", "kept", 2));
    List<String> ids =
        jdbi.withHandle(h -> h.createQuery("SELECT id FROM t").mapTo(String.class).list());
    assertThat(ids).containsExactly("kept");
  }

  @Test
  void readConnections_seeWhatTheWriterCommitted() {
    jdbi.useHandle(h -> h.execute("INSERT INTO t (id, n) VALUES (?, ?)", "a", 1));
    String sql = "SELECT count(*) FROM t";
    assertThat(number(db.reads(), sql)).isEqualTo(1);
    jdbi.useHandle(h -> h.execute("INSERT INTO t (id, n) VALUES (?, ?)", "b", 2));
    assertThat(number(db.reads(), sql)).isEqualTo(2);
  }

  private static int number(Jdbi jdbi, String sql, Object... args) {
    Integer n =
        jdbi.withHandle(
            h -> {
              var query = h.createQuery(sql);
              for (int i = 0; i < args.length; i++) {
                query.bind(i, args[i]);
              }
              return query.mapTo(Integer.class).one();
            });
    return n;
  }

  @Test
  void aClosedConnection_isForgotten_whenTheNextOneArrives() throws Exception {
    CachedStatements statements = new CachedStatements();
    String url = "jdbc:sqlite:" + dir.resolve("plain.db");
    java.sql.Connection first = java.sql.DriverManager.getConnection(url);
    statements.createStatementBuilder(first);
    first.close();
    try (java.sql.Connection second = java.sql.DriverManager.getConnection(url)) {
      statements.createStatementBuilder(second);
      assertThat(statements.connectionsKept()).isEqualTo(1);
    }
  }
}
