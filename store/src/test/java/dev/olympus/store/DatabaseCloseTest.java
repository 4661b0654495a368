package dev.olympus.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DatabaseCloseTest {
  @TempDir Path dir;

  @Test
  void closing_an_sqlite_database_after_use_logs_no_warning() {
    Logger hikari = (Logger) LoggerFactory.getLogger("com.zaxxer.hikari");
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    hikari.addAppender(events);
    try {
      for (int i = 0; i < 3; i++) {
        try (Database db = Database.sqlite(dir.resolve("db-" + i + ".db"))) {
          db.jdbi().useHandle(h -> h.execute("CREATE TABLE t (n INTEGER)"));
          db.reads()
              .useHandle(h -> h.createQuery("SELECT count(*) FROM t").mapTo(Long.class).one());
        }
      }
    } finally {
      hikari.detachAppender(events);
    }

    assertThat(events.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEmpty();
  }
}
