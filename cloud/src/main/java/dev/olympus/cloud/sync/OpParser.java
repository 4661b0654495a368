package dev.olympus.cloud.sync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.SyncConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
   */
  public static Optional<List<IncomingOp>> readPush(byte[] body, int maxOps) {
    List<JsonNode> nodes = new ArrayList<>();
    List<String> dataTexts = new ArrayList<>();
    boolean sawOps = false;
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (!field.equals("ops")) {
          p.skipChildren();
          continue;
        }
        if (t != JsonToken.START_ARRAY || sawOps) {
          return Optional.empty();
        }
        sawOps = true;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (nodes.size() == maxOps) {
            return Optional.empty();
          }
          if (t != JsonToken.START_OBJECT) {
            nodes.add(readTree(p));
            dataTexts.add(null);
            continue;
          }
          ObjectNode op = JsonNodeFactory.instance.objectNode();
          String dataText = null;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            long start = p.currentTokenLocation().getByteOffset();
            JsonNode value = readTree(p);
            if (name.equals("data") && v == JsonToken.START_OBJECT) {
              long end = p.currentLocation().getByteOffset();
              dataText = new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8);
            }
            op.set(name, value);
          }
          nodes.add(op);
          dataTexts.add(dataText);
        }
      }
      if (!sawOps || p.nextToken() != null) {
        return Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    List<IncomingOp> ops = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      ops.add(parse(nodes.get(i), i, dataTexts.get(i)));
    }
    return Optional.of(ops);
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
