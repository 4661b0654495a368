package dev.olympus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's database at rest: unreadable without its key, and refused with another one. */
class EncryptedDatabaseTest {
  private static final String KEY = "0123456789abcdef".repeat(4);
  private static final String OTHER_KEY = "fedcba9876543210".repeat(4);
  private static final String SECRET = "card-token-tok_visa_4242-and-a-guest-name";

  @TempDir Path dir;

  @Test
  void encryptedSqlite_writtenWithAKey_holdsNoPlaintextAndOpensOnlyWithThatKey() throws Exception {
    Path file = dir.resolve("edge.db");
    try (Database db = Database.encryptedSqlite(file, KEY)) {
      db.jdbi()
          .useHandle(
              h -> {
                h.execute("CREATE TABLE notes (body TEXT)");
                for (int i = 0; i < 200; i++) {
                  h.execute("INSERT INTO notes (body) VALUES (?)", SECRET + "-" + i);
                }
              });
      db.checkpoint();
    }

    for (Path f : Files.list(dir).toList()) {
      String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertThat(raw).as("%s holds no plaintext", f.getFileName()).doesNotContain("card-token");
      assertThat(raw)
          .as("%s is no plain SQLite file", f.getFileName())
          .doesNotStartWith("SQLite format 3");
    }
    assertThatThrownBy(() -> Database.encryptedSqlite(file, OTHER_KEY).close())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot be opened with this key");
    assertThatThrownBy(() -> Database.sqlite(file).close()).isInstanceOf(RuntimeException.class);
    try (Database db = Database.encryptedSqlite(file, KEY)) {
      assertThat(notes(db)).isEqualTo(200);
    }
  }

  @Test
  void encryptedSqlite_onAPlainFileOfAnEarlierVersion_encryptsItInPlaceKeepingEveryRow()
      throws Exception {
    Path file = dir.resolve("edge.db");
    try (Database plain = Database.sqlite(file)) {
      plain
          .jdbi()
          .useHandle(
              h -> {
                h.execute("CREATE TABLE notes (body TEXT)");
                for (int i = 0; i < 2_000; i++) {
                  h.execute("INSERT INTO notes (body) VALUES (?)", SECRET + "-" + i);
                }
              });
    }
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
        .startsWith("SQLite format 3");

    try (Database db = Database.encryptedSqlite(file, KEY)) {
      assertThat(notes(db)).isEqualTo(2_000);
      db.jdbi().useHandle(h -> h.execute("INSERT INTO notes (body) VALUES ('after')"));
      db.checkpoint();
    }
    for (Path f : Files.list(dir).toList()) {
      assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
          .as("%s holds no plaintext", f.getFileName())
          .doesNotContain("card-token");
    }
    assertThatThrownBy(() -> Database.encryptedSqlite(file, OTHER_KEY).close())
        .isInstanceOf(StoreException.class);
    try (Database db = Database.encryptedSqlite(file, KEY)) {
      assertThat(notes(db)).isEqualTo(2_001);
    }
  }

  private static int notes(Database db) {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM notes").mapTo(Integer.class).one());
  }
}
