package dev.olympus.cloud.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The cloud's one JSON mapper and the conversions the stores need. */
public final class Json {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<Map<String, Long>> LONG_MAP = new TypeReference<>() {};

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private Json() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  public static byte[] writeBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** A JSON object stored by the cloud itself (so trusted) as a map. */
  public static Map<String, Object> readMap(String json) {
    try {
      return MAPPER.readValue(json, MAP);
    } catch (IOException e) {
      throw new UncheckedIOException("stored JSON is unreadable: " + e.getMessage(), e);
    }
  }

  public static Map<String, Long> readLongMap(String json) {
    try {
      return MAPPER.readValue(json, LONG_MAP);
    } catch (IOException e) {
      throw new UncheckedIOException("stored JSON is unreadable: " + e.getMessage(), e);
    }
  }

  public static JsonNode readTree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("stored JSON is unreadable: " + e.getMessage(), e);
    }
  }

  public static Map<String, Object> toMap(JsonNode object) {
    return MAPPER.convertValue(object, MAP);
  }
}
