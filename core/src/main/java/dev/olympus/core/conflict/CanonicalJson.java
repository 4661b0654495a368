package dev.olympus.core.conflict;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A canonical text for a JSON value held as maps, lists and scalars: equal values give equal text
 * and different values different text, whatever the key order. Used to break ties between writes
 * with equal clocks the same way on every replica.
 */
final class CanonicalJson {
  private CanonicalJson() {}

  static String of(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append('n');
    } else if (value instanceof String s) {
      // Length-prefixed, so no string can imitate the delimiters around it.
      out.append('s').append(s.length()).append(':').append(s);
    } else if (value instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      out.append('{');
      sorted.forEach(
          (k, v) -> {
            append(out, k);
            append(out, v);
          });
      out.append('}');
    } else if (value instanceof List<?> l) {
      out.append('[');
      for (Object o : l) {
        append(out, o);
      }
      out.append(']');
    } else {
      // Booleans and numbers: the type keeps 1 (long) and 1.0 (double) apart, as equals() does.
      String text = value.toString();
      out.append(value.getClass().getSimpleName()).append(text.length()).append(':').append(text);
    }
  }
}
