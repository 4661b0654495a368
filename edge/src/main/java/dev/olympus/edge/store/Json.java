package dev.olympus.edge.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The edge's one JSON mapper: tolerant of fields a newer cloud adds, strict about types. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  /** Serializes a value that is known to be serializable (maps, lists, records). */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
    }
  }

  /** Parses a JSON object stored by this edge. */
  public static Map<String, Object> readObject(String json) {
    try {
      return MAPPER.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is corrupt: " + e.getOriginalMessage(), e);
    }
  }
}
