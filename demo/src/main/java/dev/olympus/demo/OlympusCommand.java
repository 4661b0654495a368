package dev.olympus.demo;

import dev.olympus.cloud.CloudCommand;
import dev.olympus.edge.cli.EdgeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code olympus} command: one jar for the cloud, the edge and the demo. */
@Command(
    name = "olympus",
    mixinStandardHelpOptions = true,
    version = "olympus 0.1.0",
    description = "Offline-first data platform for restaurant chains.",
    subcommands = {CloudCommand.class, EdgeCommand.class, DemoCommand.class})
public final class OlympusCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // Exit explicitly: pools and clients keep non-daemon threads that would hold the JVM open.
    System.exit(new CommandLine(new OlympusCommand()).execute(args));
  }
}
