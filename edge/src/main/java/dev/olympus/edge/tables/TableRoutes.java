package dev.olympus.edge.tables;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.pos.Fields;
import dev.olympus.edge.pos.LanRoutes;
import dev.olympus.edge.pos.RequestBody;
import dev.olympus.edge.store.LocalRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code PUT /api/v1/tables/{id}/status}. */
public final class TableRoutes implements LanRoutes {
  private final TableStatuses tables;

  public TableRoutes(TableStatuses tables) {
    this.tables = tables;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.put("/api/v1/tables/{id}/status", this::setStatus);
  }

  private void setStatus(Context ctx) {
    String id = Fields.requireId(ctx.pathParam("id"), "id");
    JsonNode body =
        RequestBody.object(ctx, "{\"status\": \"occupied\"}", 4_096, "send only status");
    String status = Fields.oneOf(body, "status", TableStatuses.STATUSES);
    String employeeId =
        Fields.optionalId(body, "employee_id", "employee_id", "who changes it").orElse(null);
    LocalRecord table = tables.set(id, status, employeeId);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", table.id());
    view.put("version", table.version());
    view.putAll(table.data());
    ctx.header("ETag", "\"" + table.version() + "\"").json(view);
  }
}
