package dev.olympus.edge.store;

import dev.olympus.store.Database;
import dev.olympus.store.KeyDerivation;
import java.nio.file.Path;

/** Opens the edge's encrypted local database, whose key derives from the edge's credential. */
public final class EdgeDatabase {
  /** The migration root of the edge's schema. */
  public static final String MIGRATIONS = "db/edge";

  /** The database file under a data directory. */
  public static final String FILE_NAME = "edge.db";

  private EdgeDatabase() {}

  /**
   * Opens (creating if needed) and migrates {@code dataDir/edge.db}.
   *
   * @param apiKey the edge's device token: the database opens only with the token it was created
   *     with
   * @param locationId salts the key, so one token never yields the key of another location's file
   */
  public static Database open(Path dataDir, String apiKey, String locationId) {
    return openWithoutMigrating(dataDir, apiKey, locationId).migrate(MIGRATIONS);
  }

  /** Opens an existing database as it is, for read-only tools such as {@code edge status}. */
  public static Database openWithoutMigrating(Path dataDir, String apiKey, String locationId) {
    return Database.encryptedSqlite(
        dataDir.resolve(FILE_NAME), KeyDerivation.databaseKey(apiKey, locationId));
  }
}
