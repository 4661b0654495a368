package dev.olympus.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection pool on SQLite (plain or encrypted) or PostgreSQL, with JDBI on top and Flyway
 * migrations from {@code <root>/<dialect>} on the classpath.
 *
 * <p>SQLite gets one pooled connection: SQLite has a single writer anyway, and one connection turns
 * lock contention into an orderly queue instead of {@code SQLITE_BUSY} errors. Reads that must not
 * wait behind a writer's fsync (a change feed) use {@link #reads()}: read-only connections that WAL
 * lets read the last committed state while a write commits. A {@link WalCheckpointer} copies the
 * WAL back into the file on a thread of its own, so no commit waits for a checkpoint.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** Read-only SQLite connections beside the writer's. */
  private static final int READ_CONNECTIONS = 2;

  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-f]{64}");

  private final Dialect dialect;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final String description;
  private final HikariDataSource readSource;
  private final Jdbi reads;
  private final WalCheckpointer checkpointer;

  private Database(
      Dialect dialect,
      HikariDataSource dataSource,
      HikariDataSource readSource,
      WalCheckpointer checkpointer,
      String description) {
    this.dialect = dialect;
    this.checkpointer = checkpointer;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    this.readSource = readSource;
    this.reads = readSource == null ? jdbi : Jdbi.create(readSource);
    if (dialect == Dialect.SQLITE) {
      CachedStatements statements = new CachedStatements();
      jdbi.setStatementBuilderFactory(statements);
      reads.setStatementBuilderFactory(statements);
    }
    this.description = description;
  }

  /**
   * Opens a plain SQLite database file, creating it and its folder if needed.
   *
   * @param file the database file
   */
  public static Database sqlite(Path file) {
    return openSqlite(file, null, 0);
  }

  /**
   * Opens a plain SQLite database file like {@link #sqlite(Path)}, creating a new one with pages of
   * {@code newPageSize} bytes (e.g. {@link #LARGE_PAGES}); an existing file keeps its own.
   *
   * <p>Large pages suit a store that writes many rows per commit, such as the cloud's: a drain of
   * 100,000 ops writes a quarter as many WAL frames with 16 KiB pages as with SQLite's 4 KiB (each
   * frame a seek, two writes and a page-cache copy), about a tenth of the cloud's store time. A
   * store of small commits would write more bytes per commit for nothing.
   */
  public static Database sqlite(Path file, int newPageSize) {
    if (Integer.bitCount(newPageSize) != 1 || newPageSize < 512 || newPageSize > 65_536) {
      throw new IllegalArgumentException(
          "an SQLite page size is a power of two from 512 to 65536, was " + newPageSize);
    }
    return openSqlite(file, null, newPageSize);
  }

  /** Pages of 16 KiB, for {@link #sqlite(Path, int)}. */
  public static final int LARGE_PAGES = 16_384;

  /**
   * Opens an encrypted SQLite database (SQLite3 Multiple Ciphers, SQLCipher v4 format, AES-256).
   *
   * @param file the database file
   * @param hexKey the 256-bit key as 64 lower-case hex digits (see {@link KeyDerivation})
   * @throws StoreException when the file exists but the key does not open it
   */
  public static Database encryptedSqlite(Path file, String hexKey) {
    if (!HEX_KEY.matcher(hexKey).matches()) {
      throw new IllegalArgumentException("the database key must be 64 lower-case hex digits");
    }
    return openSqlite(file, hexKey, 0);
  }

  /**
   * Opens a PostgreSQL database.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://…} URL, with user and password in it or set apart
   */
  public static Database postgres(String jdbcUrl, String user, String password, int poolSize) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "not a PostgreSQL JDBC URL: " + jdbcUrl + " (expected jdbc:postgresql://host:port/db)");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("olympus-pg");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    return new Database(
        Dialect.POSTGRESQL, new HikariDataSource(config), null, null, redact(jdbcUrl));
  }

  /**
   * Opens whatever {@code jdbcUrl} names: {@code jdbc:postgresql:…} or {@code jdbc:sqlite:PATH} (a
   * new SQLite file with pages of {@code newSqlitePageSize} bytes, see {@link #sqlite(Path, int)}).
   */
  public static Database fromUrl(String jdbcUrl, int newSqlitePageSize) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return postgres(jdbcUrl, null, null, 10);
    }
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return sqlite(Path.of(jdbcUrl.substring("jdbc:sqlite:".length())), newSqlitePageSize);
    }
    throw new IllegalArgumentException(
        "unsupported database URL '"
            + redact(jdbcUrl)
            + "': use jdbc:postgresql://host:port/db or jdbc:sqlite:/path/to/file.db");
  }

  /**
   * The driver's settings for a SQLCipher v4 database with a raw 256-bit key, as the driver's own
   * {@code SQLiteMCSqlCipherConfig.withHexKey} sets them. The key goes in as raw bytes, so no
   * passphrase derivation runs on every open, and as a property, never in the URL, which pools and
   * drivers like to log. (A property named {@code hexkey} is not one of them: the driver ignored it
   * and wrote the file in the clear.)
   */
  static java.util.Properties cipherProperties(String hexKey) {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("config_class_name", "org.sqlite.mc.SQLiteMCConfig");
    props.setProperty("cipher", "sqlcipher");
    props.setProperty("legacy", "4");
    props.setProperty("hexkey_mode", "SSE");
    props.setProperty("key", hexKey);
    return props;
  }

  /**
   * Encrypts {@code file} with the key when it is a plain SQLite file: the edge's database as
   * versions before session 11 wrote it, whose key setting the driver ignored. SQLite3 Multiple
   * Ciphers encrypts a plain database with {@code rekey}, which it refuses in WAL mode, so the file
   * leaves WAL mode for it (its WAL is copied back first) and the next open turns WAL on again.
   */
  private static void encryptInPlaceIfPlain(Path file, String hexKey) {
    byte[] header = new byte[16];
    try (var in = Files.newInputStream(file)) {
      if (in.readNBytes(header, 0, 16) < 16
          || !new String(header, java.nio.charset.StandardCharsets.ISO_8859_1)
              .equals("SQLite format 3\0")) {
        return;
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return;
    } catch (java.io.IOException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
    log.warn(
        "{} is not encrypted (written by an Olympus version whose key setting the SQLite driver"
            + " ignored): encrypting it in place with its key",
        file);
    String url = "jdbc:sqlite:file:" + file.toAbsolutePath() + "?busy_timeout=10000";
    try (Connection c = org.sqlite.JDBC.createConnection(url, new java.util.Properties());
        var st = c.createStatement()) {
      st.execute("PRAGMA journal_mode = DELETE");
      st.execute("PRAGMA cipher = 'sqlcipher'");
      st.execute("PRAGMA legacy = 4");
      // hexKey is 64 hex digits (checked by encryptedSqlite): nothing to escape.
      st.execute("PRAGMA hexrekey = '" + hexKey + "'");
    } catch (SQLException e) {
      throw new StoreException(
          "cannot encrypt the plain database " + file + " in place: " + e.getMessage(), e);
    }
    log.info("{} is now encrypted", file);
  }

  private static Database openSqlite(Path file, String hexKey, int newPageSize) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the folder of " + file + ": " + e.getMessage(), e);
    }
    // synchronous=FULL: a write acknowledged to a terminal survives a power cut, not only a crash.
    String url =
        "jdbc:sqlite:file:"
            + file.toAbsolutePath()
            + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true"
            + "&cache_size=-65536";
    if (newPageSize > 0) {
      createWithPageSize(file, newPageSize);
    }
    java.util.Properties props = new java.util.Properties();
    if (hexKey != null) {
      encryptInPlaceIfPlain(file, hexKey);
      props.putAll(cipherProperties(hexKey));
    }
    // Check the file and key once, directly: a pool would retry a wrong key until it timed out.
    var source = new SqliteDataSource(url, props);
    try (Connection c = source.getConnection();
        var st = c.createStatement()) {
      st.execute("SELECT count(*) FROM sqlite_master");
    } catch (SQLException e) {
      if (hexKey != null) {
        throw new StoreException(
            file
                + " cannot be opened with this key ("
                + e.getMessage()
                + "). The key is derived from the device credential: was the edge re-registered"
                + " with another token? Restore the old token or move the file away.",
            e);
      }
      throw new StoreException(file + " is not a usable SQLite database: " + e.getMessage(), e);
    }
    HikariConfig config = new HikariConfig();
    config.setDataSource(source);
    config.setMaximumPoolSize(1);
    config.setMinimumIdle(1);
    config.setPoolName("olympus-sqlite");
    // The checkpointer copies the WAL back, so no commit waits for it (see WalCheckpointer).
    config.setConnectionInitSql("PRAGMA wal_autocheckpoint = 0");
    HikariConfig readConfig = new HikariConfig();
    readConfig.setDataSource(source);
    readConfig.setMaximumPoolSize(READ_CONNECTIONS);
    readConfig.setMinimumIdle(0);
    readConfig.setConnectionInitSql("PRAGMA query_only = 1");
    readConfig.setPoolName("olympus-sqlite-reads");
    return new Database(
        Dialect.SQLITE,
        new HikariDataSource(config),
        new HikariDataSource(readConfig),
        WalCheckpointer.start(source, file.toString()),
        file.toString());
  }

  /**
   * Creates {@code file} with pages of {@code pageSize} bytes unless it exists. The page size is
   * fixed once the first page is written, so this runs before the pool's connections, whose
   * journal_mode=WAL would write it.
   */
  private static void createWithPageSize(Path file, int pageSize) {
    try {
      if (Files.exists(file) && Files.size(file) > 0) {
        return;
      }
    } catch (java.io.IOException e) {
      throw new StoreException("cannot read the size of " + file + ": " + e.getMessage(), e);
    }
    try (Connection c =
            new SqliteDataSource(
                    "jdbc:sqlite:file:" + file.toAbsolutePath(), new java.util.Properties())
                .getConnection();
        var st = c.createStatement()) {
      st.execute("PRAGMA page_size = " + pageSize);
      st.execute("PRAGMA journal_mode = WAL");
    } catch (SQLException e) {
      throw new StoreException("cannot create " + file + ": " + e.getMessage(), e);
    }
  }

  /** Runs the migrations under {@code root/<dialect>} on the classpath, e.g. {@code db/cloud}. */
  public Database migrate(String root) {
    Objects.requireNonNull(root, "root");
    var result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:" + root + "/" + dialect.folder())
            .failOnMissingLocations(true)
            .load()
            .migrate();
    if (result.migrationsExecuted > 0) {
      log.info(
          "{} - applied {} migration(s), schema now at version {}",
          description,
          result.migrationsExecuted,
          result.targetSchemaVersion);
    }
    return this;
  }

  public Dialect dialect() {
    return dialect;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * JDBI for reads that need not see the caller's open transaction: on SQLite, read-only
   * connections apart from the writer's (each read sees the last commit); on PostgreSQL, the pool.
   */
  public Jdbi reads() {
    return reads;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Where the database is, for log lines; never contains a password or key. */
  public String description() {
    return description;
  }

  /**
   * Copies the WAL back into an SQLite database's file now (a checkpointer does it five times a
   * second anyway). Nothing to do on PostgreSQL.
   */
  WalCheckpointer.Progress checkpoint() {
    return checkpointer == null ? new WalCheckpointer.Progress(0, 0) : checkpointer.checkpoint();
  }

  @Override
  public void close() {
    if (checkpointer != null) {
      checkpointer.close();
    }
    if (readSource != null) {
      readSource.close();
    }
    dataSource.close();
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password|key|hexkey)=[^&]*", "$1=***");
  }
}
