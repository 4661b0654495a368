package dev.olympus.cloud.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Device tokens: {@code oly_} and 43 base64url characters (256 random bits). The cloud keeps only
 * the SHA-256; a token with that much entropy needs no slow hash.
 */
public final class DeviceTokens {
  public static final String PREFIX = "oly_";

  private final SecureRandom random;

  public DeviceTokens(SecureRandom random) {
    this.random = random;
  }

  public String newToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lower-case hex SHA-256 of the token's UTF-8 bytes. */
  public static String sha256(String token) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Compares without leaking where two secrets differ through timing. */
  public static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
