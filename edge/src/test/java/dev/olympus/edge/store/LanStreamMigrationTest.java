package dev.olympus.edge.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.store.Database;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migration V2 on an edge that already holds records: they join its stream in version order. */
class LanStreamMigrationTest {
  @TempDir Path dir;

  @Test
  void migrate_existingRecords_areNumberedByVersionAndTheCounterContinuesAfterThem() {
    Database db = Database.sqlite(dir.resolve("edge.db"));
    try {
      Flyway.configure()
          .dataSource(db.dataSource())
          .locations("classpath:" + EdgeDatabase.MIGRATIONS + "/sqlite")
          .target("1")
          .load()
          .migrate();
      db.jdbi()
          .useHandle(
              h -> {
                h.execute(
                    "INSERT INTO records (collection, id, data, version, origin) VALUES"
                        + " ('orders', 'b', '{}', 30, 'e'), ('orders', 'a', '{}', 20, 'e'),"
                        + " ('tables', 't', '{}', 10, 'e')");
              });

      db.migrate(EdgeDatabase.MIGRATIONS);

      List<String> order =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT id FROM records ORDER BY lan_seq")
                          .mapTo(String.class)
                          .list());
      assertThat(order).containsExactly("t", "a", "b");
      long latest = db.jdbi().withHandle(RecordStore::latestLanSeq);
      assertThat(latest).isEqualTo(3);
    } finally {
      db.close();
    }
  }
}
