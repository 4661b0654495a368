package dev.olympus.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCheckpointerTest {
  private static final String KEY = "0123456789abcdef".repeat(4);

  /** Rows of about a page each: 3,000 of them are well past SQLite's own 1,000-page threshold. */
  private static final int ROWS = 3_000;

  @TempDir Path dir;

  @Test
  void the_writer_leaves_checkpoints_to_the_checkpointer() {
    try (Database db = Database.sqlite(dir.resolve("w.db"))) {
      int auto =
          db.jdbi()
              .withHandle(
                  h -> h.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());
      assertThat(auto).isZero();
    }
  }

  @Test
  void the_wal_reaches_the_database_file_without_a_commit_waiting_for_it() throws Exception {
    assertCheckpointed(Database::sqlite, dir.resolve("plain.db"));
  }

  @Test
  void an_encrypted_database_is_checkpointed_with_its_key() throws Exception {
    assertCheckpointed(file -> Database.encryptedSqlite(file, KEY), dir.resolve("secret.db"));
  }

  /**
   * Commits {@code ROWS} pages one row at a time, then waits for the database file itself to hold
   * them: with the writer's own checkpoints off, only the checkpointer can have copied them there.
   */
  private static void assertCheckpointed(Function<Path, Database> open, Path file)
      throws Exception {
    try (Database db = open.apply(file)) {
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE pages (n INTEGER, filler BLOB)"));
      for (int i = 0; i < ROWS; i++) {
        int n = i;
        db.jdbi().useHandle(h -> h.execute("INSERT INTO pages VALUES (?, randomblob(3500))", n));
      }
      long expected = ROWS * 3_500L;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (Files.size(file) < expected && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(Files.size(file)).isGreaterThan(expected);
      WalCheckpointer.Progress progress = db.checkpoint();
      assertThat(progress.copied()).isEqualTo(progress.walFrames());
      int count =
          db.jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT count(*) FROM pages").mapTo(Integer.class).one());
      assertThat(count).isEqualTo(ROWS);
    }
    try (Database reopened = open.apply(file)) {
      int count =
          reopened
              .jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT count(*) FROM pages").mapTo(Integer.class).one());
      assertThat(count).isEqualTo(ROWS);
    }
  }
}
