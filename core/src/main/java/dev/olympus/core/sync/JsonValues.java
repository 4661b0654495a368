package dev.olympus.core.sync;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Deep immutable copies of JSON trees held as maps, lists and scalars, so records and ops stay
 * values. Numbers are normalised ({@code 2} and {@code 2L} are the same JSON number) so that equal
 * JSON compares equal whichever parser produced it.
 */
public final class JsonValues {
  private JsonValues() {}

  /**
   * A deep, unmodifiable copy that keeps key order. A map this method returned is returned as is:
   * it is already such a copy, and an op's data passing into a record is not copied again.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> immutableCopy(Map<String, ?> map) {
    if (map instanceof Frozen) {
      return (Map<String, Object>) map;
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      copy.put(e.getKey(), copyValue(e.getValue()));
    }
    return new Frozen(copy);
  }

  /**
   * Takes a map a JSON reader has just built as the value itself, without copying it: the reader
   * hands it over (keeps no reference), its nested objects come from this method too, its arrays
   * are unmodifiable lists, and its numbers are {@code Long}, {@code BigInteger}, {@code Double} or
   * {@code BigDecimal}. The cloud reads pushed ops this way, one pass per op.
   */
  public static Map<String, Object> adopt(LinkedHashMap<String, Object> fresh) {
    return new Frozen(fresh);
  }

  private static Object copyValue(Object v) {
    if (v instanceof Frozen) {
      return v;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        copy.put(String.valueOf(e.getKey()), copyValue(e.getValue()));
      }
      return new Frozen(copy);
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

  /** A deep copy made here: unmodifiable, and so never copied again. */
  private static final class Frozen extends AbstractMap<String, Object> {
    private final Map<String, Object> map;

    Frozen(Map<String, Object> copy) {
      this.map = Collections.unmodifiableMap(copy);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return map.entrySet();
    }

    @Override
    public Set<String> keySet() {
      return map.keySet();
    }

    @Override
    public Collection<Object> values() {
      return map.values();
    }

    @Override
    public int size() {
      return map.size();
    }

    @Override
    public boolean isEmpty() {
      return map.isEmpty();
    }

    @Override
    public Object get(Object key) {
      return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return map.containsKey(key);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
      map.forEach(action);
    }

    @Override
    public boolean equals(Object o) {
      return o == this || map.equals(o);
    }

    @Override
    public int hashCode() {
      return map.hashCode();
    }
  }
}
