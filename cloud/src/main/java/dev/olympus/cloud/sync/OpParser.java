package dev.olympus.cloud.sync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.JsonValues;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.SyncConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads pushed ops one by one from the request's JSON tree, leniently: an op with a missing or
 * mistyped field becomes a rejected op naming the field, and the rest of the batch goes on.
 */
public final class OpParser {
  /** Record ids and op ids: 1–128 characters of {@code [A-Za-z0-9._:-]}. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public static final String ID_RULE = "use 1-128 characters of A-Z a-z 0-9 . _ : -";
  public static final String COLLECTION_RULE =
      "collection names are 1-63 lower-case letters, digits or underscores, starting with a letter";

  // Reads one value of a body in the middle of it, so what follows is not "trailing".
  private static final ObjectReader TREE =
      Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private OpParser() {}

  private static JsonNode readTree(JsonParser p) throws IOException {
    JsonNode node = TREE.readTree(p);
    if (node == null) {
      throw new IOException("no value where one was expected");
    }
    return node;
  }

  /**
   * The ops of a push body read in one pass, each with its {@code data} text as sent; empty when
   * the body is anything but a well-formed {@code {"ops": [...]}} of at most {@code maxOps} ops,
   * for the caller to read it the careful way, which names what is wrong.
   *
   * <p>A well-formed op is read straight off the token stream, its data into the maps an op holds,
   * with no tree in between: this is the hot path of a drain. An op that is anything else (a
   * missing or mistyped field, an id that breaks the rules) is read again from its own bytes by
   * {@link #parse(JsonNode, int, String)}, so the answer names the field exactly as before.
   */
  public static Optional<List<IncomingOp>> readPush(byte[] body, int maxOps) {
    List<IncomingOp> ops = new ArrayList<>();
    Set<String> validCollections = new HashSet<>();
    boolean sawOps = false;
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      // Duplicate names are caught below, more cheaply than the parser's own detector does: a
      // body with one goes to the careful reading, which refuses it.
      p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      Set<String> topFields = new HashSet<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (!topFields.add(field)) {
          return Optional.empty();
        }
        if (!field.equals("ops")) {
          p.skipChildren();
          continue;
        }
        if (t != JsonToken.START_ARRAY || sawOps) {
          return Optional.empty();
        }
        sawOps = true;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (ops.size() == maxOps) {
            return Optional.empty();
          }
          if (t != JsonToken.START_OBJECT) {
            ops.add(parse(readTree(p), ops.size(), null));
            continue;
          }
          ops.add(readOp(p, body, ops.size(), validCollections));
        }
      }
      if (!sawOps || p.nextToken() != null) {
        return Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(ops);
  }

  private static final List<String> KNOWN_FIELDS =
      List.of(
          "op_id",
          "collection",
          "id",
          "action",
          "node_id",
          "base_origin",
          "base_version",
          "hlc",
          "data");

  /** A name twice in one object: the whole body goes to the careful reading, which refuses it. */
  private static final class DuplicateName extends RuntimeException {
    DuplicateName(String name) {
      super(name, null, false, false);
    }
  }

  /** One op, the parser on its START_OBJECT; leaves the parser on its END_OBJECT. */
  private static IncomingOp readOp(
      JsonParser p, byte[] body, int index, Set<String> validCollections) throws IOException {
    int start = (int) p.currentTokenLocation().getByteOffset();
    String opId = null;
    String collection = null;
    String recordId = null;
    String actionName = null;
    String nodeId = null;
    String baseOrigin = null;
    long baseVersion = 0;
    long hlc = -1;
    Map<String, Object> data = null;
    String dataText = null;
    boolean plain = true;
    int seen = 0;
    Set<String> otherFields = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      int bit = KNOWN_FIELDS.indexOf(name);
      if (bit >= 0) {
        if ((seen & (1 << bit)) != 0) {
          throw new DuplicateName(name);
        }
        seen |= 1 << bit;
      } else {
        if (otherFields == null) {
          otherFields = new HashSet<>();
        }
        if (!otherFields.add(name)) {
          throw new DuplicateName(name);
        }
      }
      switch (name) {
        case "op_id", "collection", "id", "action", "node_id" -> {
          if (v != JsonToken.VALUE_STRING) {
            plain = false;
            p.skipChildren();
            continue;
          }
          String text = p.getText();
          switch (name) {
            case "op_id" -> opId = text;
            case "collection" -> collection = text;
            case "id" -> recordId = text;
            case "action" -> actionName = text;
            default -> nodeId = text;
          }
        }
        case "base_origin" -> {
          if (v == JsonToken.VALUE_STRING) {
            baseOrigin = p.getText();
          } else if (v != JsonToken.VALUE_NULL) {
            plain = false;
            p.skipChildren();
          }
        }
        case "base_version", "hlc" -> {
          long n = -1;
          if (v == JsonToken.VALUE_NUMBER_INT
              && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            n = p.getLongValue();
          } else if (v == JsonToken.VALUE_NULL && name.equals("base_version")) {
            n = 0;
          } else {
            p.skipChildren();
          }
          if (n < 0) {
            plain = false;
          } else if (name.equals("hlc")) {
            hlc = n;
          } else {
            baseVersion = n;
          }
        }
        case "data" -> {
          if (v == JsonToken.START_OBJECT) {
            int dataStart = (int) p.currentTokenLocation().getByteOffset();
            data = readObject(p);
            int dataEnd = (int) p.currentLocation().getByteOffset();
            dataText = new String(body, dataStart, dataEnd - dataStart, StandardCharsets.UTF_8);
          } else {
            plain = false;
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    OpAction action = plain && actionName != null ? knownAction(actionName) : null;
    if (plain
        && opId != null
        && isId(opId)
        && collection != null
        && (validCollections.contains(collection)
            || (SyncConfig.COLLECTION_NAME.matcher(collection).matches()
                && validCollections.add(collection)))
        && recordId != null
        && isId(recordId)
        && action != null
        && (action == OpAction.DELETE || data != null)
        && hlc >= 0
        && nodeId != null
        && !nodeId.isBlank()) {
      Map<String, Object> opData = action == OpAction.DELETE ? Map.of() : data;
      return IncomingOp.parsed(
          new Op(opId, collection, recordId, action, opData, baseVersion, hlc, nodeId, baseOrigin),
          null,
          action == OpAction.DELETE ? null : dataText);
    }
    // Something is off: read the op again the careful way, which says what.
    int end = (int) p.currentLocation().getByteOffset();
    JsonNode node;
    try (JsonParser again = Json.MAPPER.createParser(body, start, end - start)) {
      node = readTree(again);
    }
    return parse(node, index, dataText);
  }

  private static OpAction knownAction(String name) {
    try {
      return OpAction.parse(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@link #ID} without a regex: it is checked twice per pushed op. */
  static boolean isId(String s) {
    int n = s.length();
    if (n < 1 || n > 128) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** An object's members as the values an op holds, the parser on its START_OBJECT. */
  private static Map<String, Object> readObject(JsonParser p) throws IOException {
    LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      int before = map.size();
      map.put(name, readValue(p, p.nextToken()));
      if (map.size() == before) {
        throw new DuplicateName(name);
      }
    }
    return JsonValues.adopt(map);
  }

  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> readObject(p);
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(p, item));
        }
        yield Collections.unmodifiableList(list);
      }
      case VALUE_STRING -> p.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT ->
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? (Object) p.getBigIntegerValue()
              : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      default -> throw new IOException("unexpected " + t + " in an op's data");
    };
  }

  /** The op at {@code ops[index]}. */
  public static IncomingOp parse(JsonNode node, int index) {
    return parse(node, index, null);
  }

  /** The op at {@code ops[index]}, whose {@code data} was sent as {@code dataText} (or null). */
  static IncomingOp parse(JsonNode node, int index, String dataText) {
    String where = "ops[" + index + "]";
    if (node == null || !node.isObject()) {
      return IncomingOp.invalid(
          "",
          new ApiError(
              "invalid_field", where + " must be an object, was " + Bodies.kind(node), where),
          node);
    }
    JsonNode idNode = node.get("op_id");
    if (idNode == null || idNode.isNull()) {
      return IncomingOp.invalid("", missing(where, "op_id"), node);
    }
    if (!idNode.isTextual() || !ID.matcher(idNode.textValue()).matches()) {
      return IncomingOp.invalid(
          idNode.isTextual() ? Bodies.abbreviate(idNode.textValue()) : "",
          new ApiError(
              "invalid_field",
              where + ".op_id must be a string of which " + ID_RULE + " (a UUIDv7 fits)",
              "op_id"),
          node);
    }
    String opId = idNode.textValue();
    try {
      String collection = text(node, where, "collection");
      if (!SyncConfig.COLLECTION_NAME.matcher(collection).matches()) {
        throw new Invalid(
            new ApiError(
                "invalid_field",
                where
                    + ".collection '"
                    + Bodies.abbreviate(collection)
                    + "' is not a collection name: "
                    + COLLECTION_RULE
                    + (collection.startsWith("_") ? " (names starting with _ are reserved)" : ""),
                "collection"));
      }
      String recordId = text(node, where, "id");
      if (!ID.matcher(recordId).matches()) {
        throw new Invalid(
            new ApiError(
                "invalid_field",
                where + ".id '" + Bodies.abbreviate(recordId) + "' is not valid: " + ID_RULE,
                "id"));
      }
      OpAction action;
      String actionName = text(node, where, "action");
      try {
        action = OpAction.parse(actionName);
      } catch (IllegalArgumentException e) {
        throw new Invalid(new ApiError("invalid_field", where + ": " + e.getMessage(), "action"));
      }
      Map<String, Object> data = Map.of();
      JsonNode dataNode = node.get("data");
      if (action != OpAction.DELETE) {
        if (dataNode == null || dataNode.isNull()) {
          throw new Invalid(missing(where, "data"));
        }
        if (!dataNode.isObject()) {
          throw new Invalid(
              new ApiError(
                  "invalid_field",
                  where + ".data must be an object, was " + Bodies.kind(dataNode),
                  "data"));
        }
        data = toMap(dataNode);
      }
      long baseVersion = longField(node, where, "base_version", false);
      long hlc = longField(node, where, "hlc", true);
      String nodeId = text(node, where, "node_id");
      if (nodeId.isBlank()) {
        throw new Invalid(
            new ApiError("invalid_field", where + ".node_id must not be blank", "node_id"));
      }
      JsonNode baseOriginNode = node.get("base_origin");
      String baseOrigin =
          baseOriginNode == null || baseOriginNode.isNull()
              ? null
              : text(node, where, "base_origin");
      return IncomingOp.parsed(
          new Op(opId, collection, recordId, action, data, baseVersion, hlc, nodeId, baseOrigin),
          node,
          action == OpAction.DELETE ? null : dataText);
    } catch (Invalid e) {
      return IncomingOp.invalid(opId, e.error, node);
    }
  }

  private static String text(JsonNode node, String where, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new Invalid(missing(where, field));
    }
    if (!v.isTextual()) {
      throw new Invalid(
          new ApiError(
              "invalid_field",
              where + "." + field + " must be a string, was " + Bodies.kind(v),
              field));
    }
    return v.textValue();
  }

  private static long longField(JsonNode node, String where, String field, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new Invalid(missing(where, field));
      }
      return 0;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new Invalid(
          new ApiError(
              "invalid_field",
              where + "." + field + " must be a non-negative integer, was " + Bodies.kind(v),
              field));
    }
    return v.longValue();
  }

  private static ApiError missing(String where, String field) {
    return new ApiError("missing_field", where + "." + field + " is required", field);
  }

  /** A JSON object as plain maps, lists and scalars, without a round trip through Jackson. */
  public static Map<String, Object> toMap(JsonNode object) {
    Map<String, Object> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), value(e.getValue()));
    }
    return map;
  }

  private static Object value(JsonNode v) {
    return switch (v.getNodeType()) {
      case OBJECT -> toMap(v);
      case ARRAY -> {
        List<Object> list = new ArrayList<>(v.size());
        for (JsonNode item : v) {
          list.add(value(item));
        }
        yield list;
      }
      case STRING -> v.textValue();
      case BOOLEAN -> v.booleanValue();
      case NUMBER -> {
        if (v.isIntegralNumber()) {
          yield v.canConvertToLong() ? (Object) v.longValue() : (Object) v.bigIntegerValue();
        }
        yield v.isBigDecimal() ? v.decimalValue() : v.doubleValue();
      }
      case NULL -> null;
      default -> v.toString();
    };
  }

  private static final class Invalid extends RuntimeException {
    final ApiError error;

    Invalid(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }
}
