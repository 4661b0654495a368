package dev.olympus.edge.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code olympus edge}: configure, start and inspect the edge agent (seed 001's {@code olympus-edge
 * config set …}, {@code start}, and the sync queue {@code status}).
 */
@Command(
    name = "edge",
    mixinStandardHelpOptions = true,
    description = "The edge agent: one per restaurant, serves terminals and syncs with the cloud.",
    subcommands = {ConfigCommand.class, StartCommand.class, StatusCommand.class})
public final class EdgeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Runs a command body, turning a {@link UserError} into its message and exit code 1. */
  static int run(CommandSpec spec, Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (UserError | IllegalArgumentException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("edge: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  /** Runs {@code olympus edge} on its own (for tools and tests). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new EdgeCommand()).execute(args));
  }
}
