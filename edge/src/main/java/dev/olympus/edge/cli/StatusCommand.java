package dev.olympus.edge.cli;

import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.syncer.QueueStatus;
import dev.olympus.store.Database;
import dev.olympus.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code olympus edge status}: the sync queue panel, read from the local database, so it works
 * while the edge is stopped or offline.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Prints the sync queue: queued ops, their age, online state, last sync.")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;

  @Option(names = "--json", description = "print the status as JSON")
  boolean json;

  /** The clock the panel's ages are measured with; tests replace it. */
  static Clock clock = Clock.systemDefaultZone();

  @Override
  public Integer call() throws Exception {
    return EdgeCommand.run(
        spec,
        () -> {
          Path dir = dataDir.resolve();
          EdgeConfig c = EdgeConfig.load(dir);
          String location = c.requireLocationId();
          String key = c.requireApiKey();
          if (!Files.exists(dir.resolve(EdgeDatabase.FILE_NAME))) {
            throw new UserError(
                "no local database in "
                    + dir.toAbsolutePath()
                    + " yet: run ./olympus edge start once");
          }
          QueueStatus status;
          try (Database db = EdgeDatabase.openWithoutMigrating(dir, key, location)) {
            status = QueueStatus.read(db.jdbi(), location, clock.instant());
          } catch (StoreException e) {
            throw new UserError(e.getMessage());
          }
          if (json) {
            spec.commandLine()
                .getOut()
                .println(
                    dev.olympus.edge.store.Json.MAPPER
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(status));
          } else {
            ZoneId zone = clock.getZone();
            spec.commandLine().getOut().print(QueuePanel.render(status, clock.instant(), zone));
          }
          spec.commandLine().getOut().flush();
          return 0;
        });
  }
}
