package dev.olympus.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows for PostgreSQL's {@code COPY … FROM STDIN} (text format), sent in one go. Where a batch of
 * multi-row INSERTs makes PostgreSQL parse, plan and run a statement per few rows, COPY streams the
 * rows straight into the table: a 1,000-op push writes its op log and new records in a fraction of
 * the time.
 *
 * <p>COPY only inserts: rows that may exist already need an upsert instead.
 */
public final class PgCopy {
  private final String target;
  // Every row as text, encoded once when sent: a byte array per row cost a copy and an
  // encoding per row, under the lock the caller holds.
  private final StringBuilder rowsText;
  private boolean firstField = true;
  private int rows;

  /**
   * @param target the table and its columns, e.g. {@code op_log (tenant_id, op_id)}; trusted SQL
   * @param expectedBytes a guess at the size of all rows, to size the buffer once
   */
  public PgCopy(String target, int expectedBytes) {
    this.target = target;
    this.rowsText = new StringBuilder(expectedBytes);
  }

  /** Whether {@code c} is a PostgreSQL connection (under any pool's wrapper). */
  public static boolean supports(Connection c) throws SQLException {
    return c.isWrapperFor(PGConnection.class);
  }

  /** The next field of the current row; null is SQL NULL. */
  public PgCopy text(String value) {
    separate();
    if (value == null) {
      rowsText.append("\\N");
      return this;
    }
    // Runs without a special character are copied whole: a record's JSON has few or none.
    int run = 0;
    for (int i = 0; i < value.length(); i++) {
      String escaped =
          switch (value.charAt(i)) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> null;
          };
      if (escaped != null) {
        rowsText.append(value, run, i).append(escaped);
        run = i + 1;
      }
    }
    rowsText.append(value, run, value.length());
    return this;
  }

  public PgCopy number(long value) {
    separate();
    rowsText.append(value);
    return this;
  }

  /** A nullable number: null is SQL NULL. */
  public PgCopy number(Long value) {
    return value == null ? text(null) : number(value.longValue());
  }

  /** Ends the current row. */
  public PgCopy endRow() {
    rowsText.append('\n');
    firstField = true;
    rows++;
    return this;
  }

  public int rows() {
    return rows;
  }

  /** Sends every ended row on {@code c}, inside its current transaction; returns the row count. */
  public long writeTo(Connection c) throws SQLException {
    if (!firstField) {
      throw new IllegalStateException("the last row of the COPY into " + target + " is not ended");
    }
    if (rows == 0) {
      return 0;
    }
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + target + " FROM STDIN");
    try {
      byte[] bytes = rowsText.toString().getBytes(StandardCharsets.UTF_8);
      in.writeToCopy(bytes, 0, bytes.length);
      return in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private void separate() {
    if (!firstField) {
      rowsText.append('\t');
    }
    firstField = false;
  }
}
