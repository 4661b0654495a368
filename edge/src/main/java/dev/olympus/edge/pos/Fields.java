package dev.olympus.edge.pos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.core.orders.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed reads of a request body's fields. Every refusal is a 400 naming the field (its path, such
 * as {@code items[2].quantity}), saying what was expected and what came, so a terminal developer
 * can fix the request from the message alone.
 */
public final class Fields {
  /** Ids on the LAN: UUIDv7 recommended, any short token of these characters accepted. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private Fields() {}

  /** A required string of 1 to {@code maxLength} characters. */
  public static String text(JsonNode body, String name, String path, int maxLength, String what) {
    return optionalText(body, name, path, maxLength, what)
        .orElseThrow(
            () ->
                new ApiException(
                    400, "missing_field", path + " is required: " + what + " as a string", path));
  }

  /** An optional string of 1 to {@code maxLength} characters (absent or null: empty). */
  public static Optional<String> optionalText(
      JsonNode body, String name, String path, int maxLength, String what) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw wrongType(path, "a string (" + what + ")", v);
    }
    String s = v.asText();
    if (s.isEmpty() || s.length() > maxLength) {
      throw new ApiException(
          400,
          "invalid_field",
          path + " must be 1 to " + maxLength + " characters, was " + s.length(),
          path);
    }
    return Optional.of(s);
  }

  /** A required id ({@link #ID}). */
  public static String id(JsonNode body, String name, String path, String what) {
    return optionalId(body, name, path, what)
        .orElseThrow(
            () ->
                new ApiException(
                    400, "missing_field", path + " is required: " + what + " as a string", path));
  }

  /** An optional id ({@link #ID}). */
  public static Optional<String> optionalId(JsonNode body, String name, String path, String what) {
    Optional<String> id = optionalText(body, name, path, 128, what);
    id.ifPresent(s -> requireId(s, path));
    return id;
  }

  /** One of {@code allowed} (a string). */
  public static String oneOf(JsonNode body, String name, Set<String> allowed) {
    String s = text(body, name, name, 64, "one of " + String.join(", ", sorted(allowed)));
    if (!allowed.contains(s)) {
      throw new ApiException(
          400,
          "invalid_field",
          name + " must be one of " + String.join(", ", sorted(allowed)) + ", was '" + s + "'",
          name);
    }
    return s;
  }

  /** A required whole number from {@code min} to {@code max}. */
  public static int wholeNumber(JsonNode body, String name, String path, int min, int max) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      throw new ApiException(
          400,
          "missing_field",
          path + " is required: a whole number from " + min + " to " + max,
          path);
    }
    if (!v.isIntegralNumber()) {
      throw wrongType(path, "a whole number from " + min + " to " + max, v);
    }
    long n = v.asLong();
    if (!v.canConvertToLong() || n < min || n > max) {
      throw new ApiException(
          400,
          "invalid_field",
          path + " must be from " + min + " to " + max + ", was " + v.asText(),
          path);
    }
    return (int) n;
  }

  /** An optional array of ids, at most {@code maxItems} (absent or null: empty). */
  public static List<String> idList(JsonNode body, String name, String path, int maxItems) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw wrongType(path, "an array of ids", v);
    }
    if (v.size() > maxItems) {
      throw new ApiException(
          400,
          "invalid_field",
          path + " may hold at most " + maxItems + " ids, had " + v.size(),
          path);
    }
    List<String> ids = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String at = path + "[" + i + "]";
      if (!e.isTextual()) {
        throw wrongType(at, "an id as a string", e);
      }
      ids.add(requireId(e.asText(), at));
    }
    return ids;
  }

  /**
   * An amount of money: a decimal string such as {@code "12.50"} (a JSON number is accepted too,
   * read exactly), at most two places, not negative; empty when absent or null.
   */
  public static Optional<BigDecimal> optionalAmount(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    String raw;
    if (v.isTextual()) {
      raw = v.asText();
    } else if (v.isNumber()) {
      raw = v.decimalValue().toPlainString();
    } else {
      throw wrongType(name, "an amount as a decimal string such as \"12.50\"", v);
    }
    try {
      return Optional.of(Money.parse(name, raw));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_field", e.getMessage(), name);
    }
  }

  /** A required amount above zero ({@link #optionalAmount}). */
  public static BigDecimal positiveAmount(JsonNode body, String name) {
    BigDecimal amount =
        optionalAmount(body, name)
            .orElseThrow(
                () ->
                    new ApiException(
                        400,
                        "missing_field",
                        name + " is required: an amount as a decimal string such as \"12.50\"",
                        name));
    if (amount.signum() <= 0) {
      throw new ApiException(
          400, "invalid_field", name + " must be above zero, was " + Money.format(amount), name);
    }
    return amount;
  }

  /** A path parameter that must be an id. */
  public static String requireId(String value, String path) {
    if (!ID.matcher(value).matches()) {
      throw new ApiException(
          400,
          "invalid_field",
          path
              + " '"
              + (value.length() > 64 ? value.substring(0, 64) + "…" : value)
              + "' is not a valid id: use 1-128 letters, digits and . _ : - (UUIDv7 recommended)",
          path);
    }
    return value;
  }

  private static ApiException wrongType(String path, String expected, JsonNode was) {
    return new ApiException(
        400,
        "invalid_field",
        path
            + " must be "
            + expected
            + ", was "
            + was.getNodeType().name().toLowerCase(Locale.ROOT),
        path);
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
