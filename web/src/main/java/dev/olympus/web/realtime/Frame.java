package dev.olympus.web.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.core.realtime.ChangeKind;
import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.RecordState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change frame serialized once for every connection of a location: only {@code prev_seq} differs
 * between connections, so it is spliced between a prebuilt head and tail. {@code reserved}: a
 * collection of the platform's own ({@code _devices}, …), sent only to some device types.
 */
record Frame(long seq, boolean reserved, String head, String tail) {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The frame as one connection sends it, after the change numbered {@code prevSeq}. */
  String text(long prevSeq) {
    return head + prevSeq + tail;
  }

  /**
   * Names and serializes a change.
   *
   * @param before the record's data before the change as far as the hub knows, or null (then the
   *     change is named as if it created the record)
   */
  static Frame of(ChangeSource.FeedChange fed, Map<String, ?> before) {
    Change change = fed.change();
    RecordState r = change.record();
    ChangeKind kind = ChangeKind.of(r.collection(), before, r.data(), r.deleted());
    // The action the writer stored wins over the hub's naming.
    String action = fed.storedAction() != null ? fed.storedAction() : kind.action();
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("type", kind.type());
    head.put("data_type", kind.dataType());
    head.put("action", action);
    head.put("seq", change.seq());
    Map<String, Object> tail = new LinkedHashMap<>();
    tail.put("collection", r.collection());
    tail.put("id", r.id());
    tail.put("data", r.data());
    tail.put("version", r.version());
    tail.put("deleted", r.deleted());
    tail.put("origin", r.origin());
    String h = write(head);
    String t = write(tail);
    return new Frame(
        change.seq(),
        r.collection().startsWith("_"),
        h.substring(0, h.length() - 1) + ",\"prev_seq\":",
        "," + t.substring(1));
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write a frame as JSON: " + e.getMessage(), e);
    }
  }
}
