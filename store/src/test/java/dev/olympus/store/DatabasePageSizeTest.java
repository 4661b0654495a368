package dev.olympus.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabasePageSizeTest {
  @TempDir Path dir;

  @Test
  void a_new_database_gets_the_page_size_asked_for_in_wal_mode() {
    try (Database db = Database.sqlite(dir.resolve("new.db"), Database.LARGE_PAGES)) {
      assertThat(pragma(db.jdbi(), "page_size")).isEqualTo("16384");
      assertThat(pragma(db.jdbi(), "journal_mode")).isEqualTo("wal");
    }
    try (Database db = Database.sqlite(dir.resolve("default.db"))) {
      assertThat(pragma(db.jdbi(), "page_size")).isEqualTo("4096");
    }
  }

  @Test
  void a_page_size_sqlite_cannot_have_is_refused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Database.sqlite(dir.resolve("odd.db"), 10_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two");
  }

  @Test
  void an_existing_database_keeps_its_page_size_and_its_rows() {
    Path file = dir.resolve("old.db");
    Jdbi plain = Jdbi.create("jdbc:sqlite:" + file);
    plain.useHandle(
        h -> {
          h.execute("PRAGMA page_size = 4096");
          h.execute("CREATE TABLE kept (n INTEGER)");
          h.execute("INSERT INTO kept VALUES (42)");
        });

    try (Database db = Database.sqlite(file, Database.LARGE_PAGES)) {
      assertThat(pragma(db.jdbi(), "page_size")).isEqualTo("4096");
      int kept =
          db.jdbi().withHandle(h -> h.createQuery("SELECT n FROM kept").mapTo(Integer.class).one());
      assertThat(kept).isEqualTo(42);
    }
  }

  private static String pragma(Jdbi jdbi, String name) {
    return jdbi.withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
  }
}
