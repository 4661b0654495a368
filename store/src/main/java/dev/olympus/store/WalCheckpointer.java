package dev.olympus.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies an SQLite database's WAL back into its file on a thread of its own, instead of in the
 * commit that happens to cross SQLite's threshold (1,000 pages). That commit used to write a
 * thousand pages and fsync the file before answering its caller: one request in about fifty, with
 * small commits, waited several milliseconds for it. The writer's connection turns its own
 * checkpoints off ({@code wal_autocheckpoint = 0}), and this one runs a PASSIVE checkpoint every
 * {@link #PERIOD_MS}: it copies what no reader still needs and never blocks the writer or a reader.
 * SQLite rewinds the WAL to its start once a checkpoint has copied all of it, so its size stays
 * bounded by what is written between two checkpoints.
 */
final class WalCheckpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

  /** How often the WAL is copied back. */
  static final long PERIOD_MS = 200;

  private final Connection connection;
  private final ScheduledExecutorService thread;
  private final String description;
  private boolean warned;

  private WalCheckpointer(Connection connection, String description) {
    this.connection = connection;
    this.description = description;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "olympus-sqlite-checkpoint");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(this::checkpoint, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /** Starts checkpointing the database {@code source} opens. */
  static WalCheckpointer start(DataSource source, String description) {
    try {
      return new WalCheckpointer(source.getConnection(), description);
    } catch (SQLException e) {
      throw new StoreException(
          "cannot open a checkpoint connection to " + description + ": " + e.getMessage(), e);
    }
  }

  /**
   * What a checkpoint found and did: the frames the WAL held and how many of them are now in the
   * database file (-1 and -1 when it failed).
   */
  record Progress(int walFrames, int copied) {}

  /** Checkpoints now. */
  synchronized Progress checkpoint() {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      rs.next();
      return new Progress(rs.getInt(2), rs.getInt(3));
    } catch (SQLException e) {
      // A failed checkpoint loses nothing (the WAL keeps every commit); the next one tries again.
      if (!warned) {
        warned = true;
        log.warn("{} - WAL checkpoint failed, will retry: {}", description, e.getMessage());
      }
      return new Progress(-1, -1);
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.warn("{} - closing the checkpoint connection: {}", description, e.getMessage());
      }
    }
  }
}
