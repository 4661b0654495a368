package dev.olympus.cloud;

import dev.olympus.store.Database;
import dev.olympus.store.Dialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The databases every store test runs on: SQLite in a temp folder, and one embedded PostgreSQL per
 * JVM (migrated once; tests keep apart by using fresh tenant and location ids).
 */
public final class TestDatabases {
  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  public static synchronized String postgresUrl() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException ignored) {
                      // The JVM is going away.
                    }
                  }));
    }
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public static Database open(Dialect dialect, Path tempDir) {
    Database db =
        switch (dialect) {
          case SQLITE -> Database.sqlite(tempDir.resolve("cloud-" + UUID.randomUUID() + ".db"));
          case POSTGRESQL -> Database.postgres(postgresUrl(), null, null, 12);
        };
    return db.migrate("db/cloud");
  }

  /** An id no other test uses, so tests share one PostgreSQL safely. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
