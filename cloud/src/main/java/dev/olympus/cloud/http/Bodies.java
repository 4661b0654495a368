package dev.olympus.cloud.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.web.http.OversizedBody;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads request bodies under the size limit and takes typed fields out of them, turning every kind
 * of bad input into a 4xx {@link ApiException} that names the field.
 */
public final class Bodies {
  private final long maxBodyBytes;

  public Bodies(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The body as a JSON object. */
  public ObjectNode object(Context ctx) {
    return object(bytes(ctx));
  }

  /** A body already read with {@link #bytes} as a JSON object. */
  public ObjectNode object(byte[] bytes) {
    JsonNode node = tree(bytes);
    if (!(node instanceof ObjectNode o)) {
      throw ApiException.badRequest(
          "invalid_json", "the body must be a JSON object, was " + kind(node), null);
    }
    return o;
  }

  /** The body as any JSON value. */
  public JsonNode tree(Context ctx) {
    return tree(bytes(ctx));
  }

  private static JsonNode tree(byte[] bytes) {
    if (bytes.length == 0) {
      throw ApiException.badRequest("invalid_json", "the body is empty: send a JSON object", null);
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest(
            "invalid_json", "the body is empty: send a JSON object", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "invalid_json", "the body is not valid JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw ApiException.badRequest("invalid_json", "the body could not be read: " + e, null);
    }
  }

  /** The raw body, refused with 413 past the limit whether or not Content-Length was sent. */
  public byte[] bytes(Context ctx) {
    long declared = ctx.contentLength();
    try (InputStream in = ctx.bodyInputStream()) {
      if (declared > maxBodyBytes) {
        throw tooLarge(ctx, in);
      }
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        throw tooLarge(ctx, in);
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.badRequest("invalid_json", "the body could not be read: " + e, null);
    }
  }

  /**
   * The 413, after reading what is left of a body that is not far over the limit: a client still
   * sending when the server answers and closes gets a reset instead of the answer. Past {@link
   * #DRAIN_FACTOR} times the limit the connection is simply closed.
   */
  private ApiException tooLarge(Context ctx, InputStream in) {
    OversizedBody.discard(in, ctx.contentLength(), maxBodyBytes * DRAIN_FACTOR);
    ctx.header("Connection", "close");
    return tooLarge();
  }

  private static final long DRAIN_FACTOR = 4;

  private ApiException tooLarge() {
    return new ApiException(
        413,
        "body_too_large",
        "the body is over the limit of "
            + maxBodyBytes
            + " bytes: send fewer ops per request (or raise --max-body-bytes)",
        null);
  }

  public static String requireText(JsonNode object, String field) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      throw ApiException.missingField(field);
    }
    if (!v.isTextual()) {
      throw ApiException.invalidField(field, field + " must be a string, was " + kind(v));
    }
    return v.textValue();
  }

  /**
   * The string member {@code name} of an object found at {@code prefix} (errors name {@code
   * prefix.name}, such as {@code readings[3].device_id}); null when absent and not required.
   */
  public static String memberText(JsonNode object, String prefix, String name, boolean required) {
    String field = prefix + "." + name;
    JsonNode v = object.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        throw ApiException.missingField(field);
      }
      return null;
    }
    if (!v.isTextual()) {
      throw ApiException.invalidField(field, field + " must be a string, was " + kind(v));
    }
    return v.textValue();
  }

  public static Optional<String> optionalText(JsonNode object, String field) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ApiException.invalidField(field, field + " must be a string, was " + kind(v));
    }
    return Optional.of(v.textValue());
  }

  public static Optional<Long> optionalLong(JsonNode object, String field) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ApiException.invalidField(field, field + " must be an integer, was " + kind(v));
    }
    return Optional.of(v.longValue());
  }

  public static long nonNegativeLong(JsonNode object, String field) {
    long value = optionalLong(object, field).orElse(0L);
    if (value < 0) {
      throw ApiException.invalidField(field, field + " must not be negative, was " + value);
    }
    return value;
  }

  /** A required text field that must match {@code pattern}, described by {@code rule}. */
  public static String requireMatching(
      JsonNode object, String field, Pattern pattern, String rule) {
    String value = requireText(object, field);
    checkMatches(field, value, pattern, rule);
    return value;
  }

  public static void checkMatches(String field, String value, Pattern pattern, String rule) {
    if (!pattern.matcher(value).matches()) {
      throw ApiException.invalidField(
          field, field + " '" + abbreviate(value) + "' is not valid: " + rule);
    }
  }

  /** A query parameter as an int within bounds, or the default when absent. */
  public static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int v = Integer.parseInt(raw);
      if (v < min || v > max) {
        throw ApiException.invalidField(
            name, name + " must be between " + min + " and " + max + ", was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.invalidField(
          name, name + " must be an integer, was '" + abbreviate(raw) + "'");
    }
  }

  /** A query parameter as a non-negative long, or the default when absent. */
  public static long longParam(Context ctx, String name, long defaultValue) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isEmpty()) {
      return defaultValue;
    }
    try {
      long v = Long.parseLong(raw);
      if (v < 0) {
        throw ApiException.invalidField(name, name + " must not be negative, was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.invalidField(
          name, name + " must be an integer, was '" + abbreviate(raw) + "'");
    }
  }

  public static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  public static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
