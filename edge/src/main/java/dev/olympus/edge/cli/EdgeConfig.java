package dev.olympus.edge.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.olympus.edge.store.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The edge's settings as {@code olympus edge config set} stores them in {@code DATA_DIR/edge.json}
 * (mode 600: it holds the device token).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeConfig(
    @JsonProperty("location_id") String locationId,
    @JsonProperty("api_key") String apiKey,
    @JsonProperty("cloud_url") String cloudUrl,
    @JsonProperty("device_id") String deviceId) {

  public static final String FILE_NAME = "edge.json";
  static final EdgeConfig EMPTY = new EdgeConfig(null, null, null, null);

  /** Reads {@code dataDir/edge.json}; empty settings when it does not exist yet. */
  public static EdgeConfig load(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return EMPTY;
    }
    try {
      return Json.MAPPER.readValue(file.toFile(), EdgeConfig.class);
    } catch (IOException e) {
      throw new IllegalStateException(
          file + " is not readable edge settings (" + e.getMessage() + "): fix or delete it", e);
    }
  }

  /** Writes {@code dataDir/edge.json} atomically, readable by its owner only. */
  public void save(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
      Files.deleteIfExists(tmp);
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (posix) {
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
      Files.move(
          tmp,
          dataDir.resolve(FILE_NAME),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE_NAME), e);
    }
  }

  EdgeConfig withLocationId(String v) {
    return new EdgeConfig(v, apiKey, cloudUrl, deviceId);
  }

  EdgeConfig withApiKey(String v) {
    return new EdgeConfig(locationId, v, cloudUrl, deviceId);
  }

  EdgeConfig withCloudUrl(String v) {
    return new EdgeConfig(locationId, apiKey, v, deviceId);
  }

  EdgeConfig withDeviceId(String v) {
    return new EdgeConfig(locationId, apiKey, cloudUrl, v);
  }

  /** The api key as {@code config show} prints it: enough to tell keys apart, not to use one. */
  static String redact(String key) {
    if (key == null) {
      return "(not set)";
    }
    if (key.length() <= 12) {
      return "****";
    }
    return key.substring(0, 6) + "…" + key.substring(key.length() - 4) + " (redacted)";
  }

  /** The location id, or an error saying how to set it. */
  String requireLocationId() {
    return Optional.ofNullable(locationId)
        .orElseThrow(
            () ->
                new UserError("no location id set: run ./olympus edge config set --location-id L"));
  }

  String requireApiKey() {
    return Optional.ofNullable(apiKey)
        .orElseThrow(
            () -> new UserError("no api key set: run ./olympus edge config set --api-key TOKEN"));
  }

  String requireCloudUrl() {
    return Optional.ofNullable(cloudUrl)
        .orElseThrow(
            () -> new UserError("no cloud URL set: run ./olympus edge config set --cloud-url URL"));
  }
}
