package dev.olympus.store;

import java.io.ByteArrayOutputStream;
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
  private final ByteArrayOutputStream out;
  private final StringBuilder line = new StringBuilder(256);
  private boolean firstField = true;
  private int rows;

  /**
   * @param target the table and its columns, e.g. {@code op_log (tenant_id, op_id)}; trusted SQL
   * @param expectedBytes a guess at the size of all rows, to size the buffer once
   */
  public PgCopy(String target, int expectedBytes) {
    this.target = target;
    this.out = new ByteArrayOutputStream(expectedBytes);
  }

  /** Whether {@code c} is a PostgreSQL connection (under any pool's wrapper). */
  public static boolean supports(Connection c) throws SQLException {
    return c.isWrapperFor(PGConnection.class);
  }

  /** The next field of the current row; null is SQL NULL. */
  public PgCopy text(String value) {
    separate();
    if (value == null) {
      line.append("\\N");
      return this;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> line.append(ch);
      }
    }
    return this;
  }

  public PgCopy number(long value) {
    separate();
    line.append(value);
    return this;
  }

  /** A nullable number: null is SQL NULL. */
  public PgCopy number(Long value) {
    return value == null ? text(null) : number(value.longValue());
  }

  /** Ends the current row. */
  public PgCopy endRow() {
    line.append('\n');
    out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
    line.setLength(0);
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
      byte[] bytes = out.toByteArray();
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
      line.append('\t');
    }
    firstField = false;
  }
}
