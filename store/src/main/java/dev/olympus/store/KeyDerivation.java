package dev.olympus.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Derives a database key from a device credential, so an edge's database opens only with the
 * credential it was registered with and no key is ever stored beside the data.
 */
public final class KeyDerivation {
  private static final int ITERATIONS = 210_000;

  private KeyDerivation() {}

  /**
   * PBKDF2-HMAC-SHA256 of {@code credential}, salted with {@code salt} (for example the device id),
   * as 64 hex digits.
   */
  public static String databaseKey(String credential, String salt) {
    try {
      var spec =
          new PBEKeySpec(
              credential.toCharArray(),
              ("olympus-edge-db:" + salt).getBytes(StandardCharsets.UTF_8),
              ITERATIONS,
              256);
      byte[] key =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      return HexFormat.of().formatHex(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
    }
  }
}
