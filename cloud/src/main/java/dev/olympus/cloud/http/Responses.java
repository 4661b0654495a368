package dev.olympus.cloud.http;

import io.javalin.http.Context;

/** Writes JSON answers with the cloud's mapper. */
public final class Responses {
  private Responses() {}

  public static void json(Context ctx, int status, Object body) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(Json.writeBytes(body));
  }
}
