package dev.olympus.core.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep immutable copies of JSON trees held as maps, lists and scalars, so records and ops stay
 * values. Numbers are normalised ({@code 2} and {@code 2L} are the same JSON number) so that equal
 * JSON compares equal whichever parser produced it.
 */
public final class JsonValues {
  private JsonValues() {}

  /** A deep, unmodifiable copy that keeps key order. */
  public static Map<String, Object> immutableCopy(Map<String, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      copy.put(e.getKey(), copyValue(e.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        copy.put(String.valueOf(e.getKey()), copyValue(e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object o : l) {
        copy.add(copyValue(o));
      }
      return Collections.unmodifiableList(copy);
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    return v;
  }
}
