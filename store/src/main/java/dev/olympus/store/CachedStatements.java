package dev.olympus.store;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;

/**
 * Keeps SQLite's prepared statements for reuse, per connection. The SQLite driver compiles every
 * statement it is given and finalizes it on close; for the short statements of a write (find the
 * record, upsert it, queue its op) compiling cost more than running, about three quarters of the
 * time. PostgreSQL's driver caches server-side statements itself, so this is for SQLite only.
 *
 * <p>Statements are prepared on the driver's own connection, under the pool's proxy, so they
 * outlive the handle that first used them and are finalized with the connection when the pool
 * retires it (whose cache is then forgotten). A statement is lent to one JDBI statement at a time:
 * the same SQL run again while the first is still open (a nested query) gets a statement of its
 * own.
 */
final class CachedStatements implements StatementBuilderFactory {
  /** Distinct SQL texts kept per connection; the least recently used beyond that is finalized. */
  private static final int MAX_SQL = 256;

  /** Idle statements per SQL text, for nested use of the same statement. */
  private static final int MAX_IDLE_PER_SQL = 2;

  // Not a weak map: a cache's statements refer to their connection, which would keep it alive.
  private final Map<Connection, Cache> caches = new ConcurrentHashMap<>();

  @Override
  public StatementBuilder createStatementBuilder(Connection conn) {
    Connection driver;
    try {
      driver = conn.unwrap(SQLiteConnection.class);
    } catch (SQLException e) {
      return new DefaultStatementBuilder(); // not SQLite under the pool: nothing to gain
    }
    Cache cache = caches.get(driver);
    if (cache == null) {
      // A new connection: the pool retired another one, or is filling up. Forget the retired
      // (closing a connection finalized its statements).
      caches.keySet().removeIf(CachedStatements::isClosed);
      cache = caches.computeIfAbsent(driver, Cache::new);
    }
    return cache;
  }

  /** How many connections have statements kept, for tests. */
  int connectionsKept() {
    return caches.size();
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /**
   * One connection's statements. A connection is used by one thread at a time (the pool lends it
   * out whole), so the cache needs no locking of its own beyond that.
   */
  private static final class Cache implements StatementBuilder {
    private final Connection driver;
    private final StatementBuilder plain = new DefaultStatementBuilder();
    private final Map<String, ArrayDeque<PreparedStatement>> idle =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<PreparedStatement>> e) {
            if (size() <= MAX_SQL) {
              return false;
            }
            e.getValue().forEach(Cache::finalizeQuietly);
            return true;
          }
        };
    private final Map<Statement, Boolean> lent = new IdentityHashMap<>();

    Cache(Connection driver) {
      this.driver = driver;
    }

    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
      return plain.create(conn, ctx);
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
        return plain.create(conn, sql, ctx);
      }
      ArrayDeque<PreparedStatement> ready = idle.get(sql);
      PreparedStatement statement = ready == null ? null : ready.poll();
      if (statement == null || statement.isClosed()) {
        statement = driver.prepareStatement(sql);
      }
      lent.put(statement, Boolean.TRUE);
      return statement;
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      return plain.createCall(conn, sql, ctx);
    }

    @Override
    public void close(Connection conn, String sql, Statement statement) throws SQLException {
      if (lent.remove(statement) == null) {
        plain.close(conn, sql, statement);
        return;
      }
      PreparedStatement prepared = (PreparedStatement) statement;
      try {
        prepared.clearParameters();
        prepared.clearBatch();
      } catch (SQLException e) {
        finalizeQuietly(prepared); // in a state we cannot vouch for: never lend it again
        return;
      }
      ArrayDeque<PreparedStatement> ready = idle.computeIfAbsent(sql, s -> new ArrayDeque<>(2));
      if (ready.size() < MAX_IDLE_PER_SQL) {
        ready.push(prepared);
      } else {
        finalizeQuietly(prepared);
      }
    }

    private static void finalizeQuietly(Statement statement) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // finalizing a statement nobody will use again
      }
    }
  }
}
