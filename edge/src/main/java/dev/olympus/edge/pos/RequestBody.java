package dev.olympus.edge.pos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.store.Json;
import dev.olympus.web.http.OversizedBody;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads a LAN request's body as one JSON object of bounded size, answering bad bodies the same way
 * on every endpoint: 413 {@code body_too_large} over the limit, 400 {@code missing_field} when
 * empty, 400 {@code invalid_json} when not JSON or not an object, each naming the field {@code
 * data}.
 */
public final class RequestBody {
  private RequestBody() {}

  /**
   * The body as a JSON object.
   *
   * @param shape the expected object, for error messages (null: a record's fields)
   * @param limit the largest body accepted, in bytes
   * @param fix what to do about a body over the limit
   */
  public static JsonNode object(Context ctx, String shape, long limit, String fix) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      drain(ctx, declared);
      throw tooLarge(declared, limit, fix);
    }
    byte[] body;
    try {
      body = ctx.bodyAsBytes();
    } catch (HttpResponseException e) {
      if (e.getStatus() == 413) {
        throw tooLarge(-1, limit, fix);
      }
      throw e;
    }
    if (body.length > limit) {
      throw tooLarge(body.length, limit, fix);
    }
    if (body.length == 0) {
      throw new ApiException(
          400,
          "missing_field",
          shape == null
              ? "the body must be the record as a JSON object"
              : "the body must be a JSON object " + shape,
          "data");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(
          400, "invalid_json", "the body is not valid JSON: " + e.getOriginalMessage(), "data");
    } catch (IOException e) {
      throw new ApiException(400, "invalid_json", "the body could not be read", "data");
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(
          400,
          "invalid_json",
          "the body must be a JSON object "
              + (shape == null ? "(the record's fields)" : shape)
              + ", was "
              + (node == null ? "empty" : node.getNodeType().name().toLowerCase(Locale.ROOT)),
          "data");
    }
    return node;
  }

  /**
   * The request's {@code Idempotency-Key} (the write's op id), checked like the records API's; null
   * when there is none.
   */
  public static String idempotencyKey(Context ctx) {
    String key = ctx.header(LanApi.IDEMPOTENCY_HEADER);
    return key == null ? null : Fields.requireId(key, LanApi.IDEMPOTENCY_HEADER);
  }

  /** Bodies up to this size are read and dropped before a 413 is answered. */
  private static final long DRAIN_LIMIT = 1024 * 1024;

  /**
   * Reads and drops a body that will be refused, when it is not huge: answering while the client
   * still sends makes the server close a connection with unread data, which resets it, and the
   * client may then never see the 413 (only "connection reset").
   */
  private static void drain(Context ctx, long declared) {
    try {
      OversizedBody.discard(ctx.req().getInputStream(), declared, DRAIN_LIMIT);
    } catch (IOException | RuntimeException e) {
      // No stream to read: the 413 is still the answer.
    }
  }

  private static ApiException tooLarge(long size, long limit, String fix) {
    return new ApiException(
        413,
        "body_too_large",
        "the body "
            + (size >= 0 ? "(" + size + " bytes) " : "")
            + "is over the edge's limit of "
            + limit
            + " bytes: "
            + fix,
        "data");
  }
}
