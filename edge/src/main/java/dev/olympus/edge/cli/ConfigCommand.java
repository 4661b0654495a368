package dev.olympus.edge.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code olympus edge config set|show}. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Shows or changes the edge's settings (DATA_DIR/edge.json).",
    subcommands = {ConfigCommand.Set.class, ConfigCommand.Show.class})
final class ConfigCommand implements Callable<Integer> {
  private static final Pattern LOCATION = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Sets one or more settings, keeping the others.")
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataDirOption dataDir;

    @Option(names = "--location-id", paramLabel = "L", description = "the restaurant's id")
    String locationId;

    @Option(names = "--api-key", paramLabel = "TOKEN", description = "this edge's device token")
    String apiKey;

    @Option(names = "--cloud-url", paramLabel = "URL", description = "the cloud's base URL")
    String cloudUrl;

    @Option(
        names = "--device-id",
        paramLabel = "ID",
        description = "this edge's device id (default: edge-<location id>)")
    String deviceId;

    @Option(
        names = "--heartbeat-seconds",
        paramLabel = "S",
        description =
            "how often the edge reports its health and checks the config version (default 30;"
                + " env "
                + EdgeConfig.HEARTBEAT_ENV
                + " wins)")
    Long heartbeatSeconds;

    @Option(
        names = "--full-sync-after-hours",
        paramLabel = "H",
        description =
            "how old the last config sync may be before the next is a full sync (default 24;"
                + " env "
                + EdgeConfig.FULL_SYNC_AFTER_ENV
                + " wins)")
    Long fullSyncAfterHours;

    @Option(
        names = "--prune-orders-after-days",
        paramLabel = "D",
        description =
            "how many days after their last change synced orders and their payments are removed"
                + " from this edge (the cloud keeps them; default 30; env "
                + EdgeConfig.PRUNE_ORDERS_AFTER_ENV
                + " wins)")
    Long pruneOrdersAfterDays;

    @Override
    public Integer call() throws Exception {
      return EdgeCommand.run(
          spec,
          () -> {
            if (locationId == null
                && apiKey == null
                && cloudUrl == null
                && deviceId == null
                && heartbeatSeconds == null
                && fullSyncAfterHours == null
                && pruneOrdersAfterDays == null) {
              throw new UserError(
                  "nothing to set: give --location-id L, --api-key TOKEN, --cloud-url URL,"
                      + " --device-id ID, --heartbeat-seconds S, --full-sync-after-hours H or"
                      + " --prune-orders-after-days D");
            }
            Path dir = dataDir.resolve();
            EdgeConfig config = EdgeConfig.load(dir);
            PrintWriter out = spec.commandLine().getOut();
            if (locationId != null) {
              if (!LOCATION.matcher(locationId).matches()) {
                throw new UserError(
                    "location id '"
                        + locationId
                        + "' is not valid: use letters, digits and . _ : - (up to 128)");
              }
              config = config.withLocationId(locationId);
              out.println("location id set to " + locationId);
            }
            if (apiKey != null) {
              if (apiKey.isBlank() || apiKey.chars().anyMatch(Character::isWhitespace)) {
                throw new UserError(
                    "the api key must be the device token the cloud returned (oly_…), without"
                        + " spaces");
              }
              config = config.withApiKey(apiKey);
              out.println("api key set (" + EdgeConfig.redact(apiKey) + ")");
            }
            if (cloudUrl != null) {
              config = config.withCloudUrl(validUrl(cloudUrl));
              out.println("cloud URL set to " + config.cloudUrl());
            }
            if (deviceId != null) {
              if (!LOCATION.matcher(deviceId).matches()) {
                throw new UserError("device id '" + deviceId + "' is not valid");
              }
              config = config.withDeviceId(deviceId);
              out.println("device id set to " + deviceId);
            }
            if (heartbeatSeconds != null) {
              EdgeConfig.checkRange(
                  "--heartbeat-seconds", heartbeatSeconds, EdgeConfig.MAX_HEARTBEAT_SECONDS);
              config = config.withHeartbeatSeconds(heartbeatSeconds);
              out.println("heartbeat every " + heartbeatSeconds + " s");
            }
            if (fullSyncAfterHours != null) {
              EdgeConfig.checkRange(
                  "--full-sync-after-hours",
                  fullSyncAfterHours,
                  EdgeConfig.MAX_FULL_SYNC_AFTER_HOURS);
              config = config.withFullSyncAfterHours(fullSyncAfterHours);
              out.println("full config sync after " + fullSyncAfterHours + " h without a sync");
            }
            if (pruneOrdersAfterDays != null) {
              EdgeConfig.checkRange(
                  "--prune-orders-after-days",
                  pruneOrdersAfterDays,
                  EdgeConfig.MAX_PRUNE_ORDERS_AFTER_DAYS);
              config = config.withPruneOrdersAfterDays(pruneOrdersAfterDays);
              out.println(
                  "synced orders pruned " + pruneOrdersAfterDays + " days after their last change");
            }
            config.save(dir);
            out.flush();
            return 0;
          });
    }

    private static String validUrl(String url) {
      try {
        URI u = new URI(url);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            || u.getHost() == null) {
          throw new URISyntaxException(url, "not an http(s) URL with a host");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      } catch (URISyntaxException e) {
        throw new UserError(
            "cloud URL '"
                + url
                + "' is not valid: give http(s)://host[:port], e.g. https://cloud.example.com");
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Prints the settings (the api key redacted).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataDirOption dataDir;

    @Override
    public Integer call() throws Exception {
      return EdgeCommand.run(
          spec,
          () -> {
            Path dir = dataDir.resolve();
            EdgeConfig c = EdgeConfig.load(dir);
            PrintWriter out = spec.commandLine().getOut();
            out.println("data dir:    " + dir.toAbsolutePath());
            out.println("location id: " + orUnset(c.locationId()));
            out.println("cloud url:   " + orUnset(c.cloudUrl()));
            out.println("api key:     " + EdgeConfig.redact(c.apiKey()));
            out.println(
                "device id:   "
                    + (c.deviceId() != null
                        ? c.deviceId()
                        : c.locationId() == null
                            ? "(not set)"
                            : "edge-" + c.locationId() + " (default)"));
            out.println(
                "heartbeat:   "
                    + c.heartbeatInterval(System.getenv()).toSeconds()
                    + " s"
                    + source(EdgeConfig.HEARTBEAT_ENV, c.heartbeatSeconds()));
            out.println(
                "full sync:   after "
                    + c.fullSyncAfter(System.getenv()).toHours()
                    + " h without a config sync"
                    + source(EdgeConfig.FULL_SYNC_AFTER_ENV, c.fullSyncAfterHours()));
            out.println(
                "pruning:     synced orders "
                    + c.pruneOrdersAfter(System.getenv()).toDays()
                    + " days after their last change"
                    + source(EdgeConfig.PRUNE_ORDERS_AFTER_ENV, c.pruneOrdersAfterDays()));
            out.flush();
            return 0;
          });
    }

    private static String source(String env, Long fromFile) {
      String v = System.getenv(env);
      if (v != null && !v.isBlank()) {
        return " (from " + env + ")";
      }
      return fromFile == null ? " (default)" : "";
    }

    private static String orUnset(String v) {
      return v == null ? "(not set)" : v;
    }
  }
}
