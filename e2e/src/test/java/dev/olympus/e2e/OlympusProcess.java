package dev.olympus.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code olympus} process started from the packaged jar, as an operator would run it, with its
 * output in a log file. {@link #kill()} sends SIGKILL: no shutdown hook, no flush, no goodbye.
 */
final class OlympusProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private OlympusProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** The packaged jar; the build passes its path in the {@code olympus.jar} system property. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("olympus.jar", "../demo/target/olympus.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: build it first with ./mvnw -pl demo -am package");
    }
    return jar;
  }

  /** The java executable running this test, so the children run on the same JDK. */
  static String javaExecutable() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Starts {@code olympus ARGS} with {@code env} added to this process's environment. */
  static OlympusProcess start(String name, Path logDir, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add("-Xmx512m");
    command.add("-XX:TieredStopAtLevel=1");
    // SQLite's driver unpacks its native library into a temporary file that only a clean exit
    // deletes: a killed child would leave one in /tmp for good. This folder goes with the test's.
    command.add("-Dorg.sqlite.tmpdir=" + logDir.resolve("native").toAbsolutePath());
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.addAll(List.of(args));
    Files.createDirectories(logDir.resolve("native"));
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    return new OlympusProcess(name, pb.start(), log);
  }

  /** Runs {@code olympus ARGS} to completion and returns its output; fails on a non-zero exit. */
  static String run(Path logDir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    OlympusProcess p = start("cli-" + System.nanoTime(), logDir, env, args);
    if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
      p.kill();
      throw new IllegalStateException("olympus " + String.join(" ", args) + " did not finish");
    }
    String out = p.output();
    if (p.process.exitValue() != 0) {
      throw new IllegalStateException(
          "olympus " + String.join(" ", args) + " exited " + p.process.exitValue() + ":\n" + out);
    }
    return out;
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to end by itself; false if it is still running after the timeout. */
  boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    return process.waitFor(timeout, unit);
  }

  int exitValue() {
    return process.exitValue();
  }

  /** SIGKILL, and wait until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as Ctrl-C or a service manager would, and wait for a clean exit. */
  void stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
