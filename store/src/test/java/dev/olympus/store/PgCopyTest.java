package dev.olympus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PgCopyTest {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void every_character_a_json_value_may_hold_arrives_as_written() throws Exception {
    List<String> values =
        List.of(
            "plain",
            "{\"note\":\"no \\\"onions\\\"\\n\",\"path\":\"C:\\\\orders\"}",
            "tab\there",
            "line\nbreak and\r\nreturn",
            "\\N",
            "",
            "Café – 寿司 🍣",
            "ends with a backslash\\");
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TEMP TABLE copied (n BIGINT, v TEXT, maybe BIGINT)");
      PgCopy copy = new PgCopy("copied (n, v, maybe)", 1024);
      for (int i = 0; i < values.size(); i++) {
        copy.number(i).text(values.get(i)).number(i % 2 == 0 ? null : (Long) (long) i).endRow();
      }
      copy.number(99).text(null).number((Long) null).endRow();

      assertThat(copy.writeTo(c)).isEqualTo(values.size() + 1);

      List<String> read = new ArrayList<>();
      List<Long> maybes = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT v, maybe FROM copied ORDER BY n")) {
        while (rs.next()) {
          read.add(rs.getString(1));
          long m = rs.getLong(2);
          maybes.add(rs.wasNull() ? null : m);
        }
      }
      List<String> expected = new ArrayList<>(values);
      expected.add(null);
      assertThat(read).isEqualTo(expected);
      assertThat(maybes).isEqualTo(Arrays.asList(null, 1L, null, 3L, null, 5L, null, 7L, null));
    }
  }

  @Test
  void copied_rows_belong_to_the_transaction_and_go_with_its_rollback() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS kept (n BIGINT PRIMARY KEY)");
      st.execute("DELETE FROM kept");
      c.setAutoCommit(false);
      new PgCopy("kept (n)", 64).number(1).endRow().number(2).endRow().writeTo(c);
      c.rollback();
      c.setAutoCommit(true);
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM kept")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }

  @Test
  void a_duplicate_key_fails_the_copy_and_the_connection_stays_usable() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS unique_rows (n BIGINT PRIMARY KEY)");
      st.execute("DELETE FROM unique_rows");
      PgCopy twice = new PgCopy("unique_rows (n)", 64).number(7).endRow().number(7).endRow();

      assertThatThrownBy(() -> twice.writeTo(c)).hasMessageContaining("duplicate key");

      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM unique_rows")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }

  @Test
  void an_unended_row_is_refused_before_anything_is_sent() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      PgCopy half = new PgCopy("nowhere (n)", 64).number(1);

      assertThatThrownBy(() -> half.writeTo(c))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not ended");
      assertThat(new PgCopy("nowhere (n)", 64).writeTo(c)).isZero();
    }
  }

  @Test
  void only_postgresql_connections_take_a_copy() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      assertThat(PgCopy.supports(c)).isTrue();
    }
    try (Database sqlite =
        Database.sqlite(java.nio.file.Files.createTempDirectory("pgcopy").resolve("x.db"))) {
      try (Connection c = sqlite.dataSource().getConnection()) {
        assertThat(PgCopy.supports(c)).isFalse();
      }
    }
  }
}
