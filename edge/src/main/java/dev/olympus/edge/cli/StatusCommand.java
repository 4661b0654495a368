package dev.olympus.edge.cli;

import dev.olympus.edge.config.ConfigStatus;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.outbox.ReviewedOp;
import dev.olympus.edge.store.EdgeDatabase;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.syncer.QueueStatus;
import dev.olympus.store.Database;
import dev.olympus.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
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

  /** Ops in review listed by {@code --json}; the panel shows their count. */
  static final int REVIEW_LIMIT = 1_000;

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
          ConfigStatus config;
          List<ReviewedOp> review;
          try (Database db = EdgeDatabase.openWithoutMigrating(dir, key, location)) {
            status = QueueStatus.read(db.jdbi(), location, clock.instant());
            config = ConfigStatus.read(db.jdbi(), location);
            review = Outbox.inReview(db.jdbi(), REVIEW_LIMIT);
          } catch (StoreException e) {
            throw new UserError(e.getMessage());
          } catch (org.jdbi.v3.core.JdbiException e) {
            throw new UserError(
                "the local database is from an older edge ("
                    + e.getMessage()
                    + "): run ./olympus edge start once to upgrade it");
          }
          if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode tree = Json.MAPPER.valueToTree(status);
            tree.set("review", Json.MAPPER.valueToTree(review));
            tree.set("config", Json.MAPPER.valueToTree(config));
            spec.commandLine()
                .getOut()
                .println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
          } else {
            ZoneId zone = clock.getZone();
            spec.commandLine().getOut().print(QueuePanel.render(status, clock.instant(), zone));
            spec.commandLine().getOut().println(configLine(config));
          }
          spec.commandLine().getOut().flush();
          return 0;
        });
  }

  /** One line under the panel: the config cache's version and sync status. */
  static String configLine(ConfigStatus c) {
    if (c.lastSyncAt() == null) {
      return "CONFIG: not synced yet (the edge fetches it in full on its first contact)";
    }
    return "CONFIG: version "
        + c.version()
        + ", "
        + c.syncStatus().wireName()
        + ", last sync "
        + c.lastSyncAt()
        + (c.lastFullSyncAt() == null ? "" : ", last full sync " + c.lastFullSyncAt());
  }
}
