package dev.olympus.cloud.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token's bootstrap: the configured one (from {@code OLYMPUS_ADMIN_TOKEN}) if any, else
 * the one in {@code DATA_DIR/admin-token}, else a new one written there with mode 600 and logged
 * once, so the operator can read it on first start and it survives restarts.
 */
public final class AdminTokenFile {
  private static final Logger log = LoggerFactory.getLogger(AdminTokenFile.class);

  private AdminTokenFile() {}

  public static String resolve(String configured, Path dataDir, SecureRandom random) {
    if (configured != null && !configured.isBlank()) {
      return configured.strip();
    }
    Path file = dataDir.resolve("admin-token");
    try {
      if (Files.exists(file)) {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!token.isEmpty()) {
          return token;
        }
      }
      Files.createDirectories(dataDir);
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      String token = "adm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      write(file, token);
      log.info("generated the admin token, kept in {} (mode 600): {}", file, token);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or write the admin token file "
              + file
              + ": "
              + e.getMessage()
              + " (set OLYMPUS_ADMIN_TOKEN or make the data dir writable)",
          e);
    }
  }

  private static void write(Path file, String token) throws IOException {
    Files.deleteIfExists(file);
    try {
      // Created with mode 600 from the start, so the token is never readable by others.
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // Another process won the race; overwrite below is still ours to do.
    }
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
  }
}
