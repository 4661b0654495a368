package dev.olympus.core.config;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON kind a config field must have. Values are checked as Jackson reads untyped JSON: maps,
 * lists, strings, numbers and booleans.
 */
public enum FieldKind {
  STRING("a string"),
  /**
   * Money and rates travel as strings ({@code "12.50"}, {@code "0.0875"}) so no float rounds them.
   */
  DECIMAL("a decimal string such as \"12.50\""),
  INTEGER("an integer"),
  BOOLEAN("a boolean"),
  ARRAY("an array"),
  OBJECT("an object"),
  /** A finite JSON number (IoT target ranges: sensors and their API speak numbers). */
  NUMBER("a number"),
  /** A bcrypt hash string ({@code $2a$10$…}, 60 characters): a secret's only stored form. */
  BCRYPT_HASH("a bcrypt hash such as \"$2a$10$…\" (60 characters)");

  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d{2}\\$[./A-Za-z0-9]{53}");
  private static final Pattern DECIMAL_TEXT = Pattern.compile("-?\\d{1,18}(\\.\\d{1,9})?");

  private final String description;

  FieldKind(String description) {
    this.description = description;
  }

  /** How an error message names this kind, e.g. {@code a decimal string such as "12.50"}. */
  public String description() {
    return description;
  }

  /** Whether {@code value} (never null here) is of this kind. */
  public boolean accepts(Object value) {
    return switch (this) {
      case STRING -> value instanceof String;
      case DECIMAL -> value instanceof String s && DECIMAL_TEXT.matcher(s).matches();
      case INTEGER ->
          value instanceof Integer
              || value instanceof Long
              || value instanceof Short
              || value instanceof Byte
              || (value instanceof BigInteger b && b.bitLength() < 64);
      case BOOLEAN -> value instanceof Boolean;
      case ARRAY -> value instanceof List<?>;
      case OBJECT -> value instanceof Map<?, ?>;
      case NUMBER ->
          value instanceof Number n
              && !(n instanceof Double d && !Double.isFinite(d))
              && !(n instanceof Float f && !Float.isFinite(f));
      case BCRYPT_HASH -> value instanceof String s && BCRYPT.matcher(s).matches();
    };
  }

  /** How an error message names the kind of a value that was sent. */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    return value.getClass().getSimpleName();
  }
}
