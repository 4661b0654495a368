package dev.olympus.edge.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, shared by every edge command. */
public final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "the edge's data folder (default: $OLYMPUS_EDGE_HOME, else ~/.olympus/edge)")
  Path dataDir;

  /** The folder in effect. */
  public Path resolve() {
    if (dataDir != null) {
      return dataDir;
    }
    String env = System.getenv("OLYMPUS_EDGE_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".olympus", "edge");
  }
}
