package dev.olympus.core.sync;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Field versions where every field of a record was set by one write: what a whole-record put
 * leaves. Held as the record's field names and one version instead of a map entry per field, since
 * a drain writes one such record per op.
 */
public final class UniformFieldVersions extends AbstractMap<String, Long> {
  private final Set<String> fields;
  private final long version;

  /**
   * @param fields the field names, an unmodifiable set this map keeps (a record's data key set)
   * @param version the version of every one of them
   */
  public UniformFieldVersions(Set<String> fields, long version) {
    this.fields = fields;
    this.version = version;
  }

  public Set<String> fields() {
    return fields;
  }

  public long version() {
    return version;
  }

  @Override
  public Long get(Object key) {
    return fields.contains(key) ? version : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return fields.contains(key);
  }

  @Override
  public int size() {
    return fields.size();
  }

  @Override
  public Set<String> keySet() {
    return fields;
  }

  @Override
  public Set<Entry<String, Long>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Long>> iterator() {
        Iterator<String> names = fields.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return names.hasNext();
          }

          @Override
          public Entry<String, Long> next() {
            return new SimpleImmutableEntry<>(names.next(), version);
          }
        };
      }

      @Override
      public int size() {
        return fields.size();
      }
    };
  }
}
