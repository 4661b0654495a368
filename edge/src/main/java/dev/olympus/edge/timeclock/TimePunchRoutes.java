package dev.olympus.edge.timeclock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.olympus.edge.pos.Fields;
import dev.olympus.edge.pos.LanApi;
import dev.olympus.edge.pos.LanRoutes;
import dev.olympus.edge.pos.RequestBody;
import dev.olympus.edge.store.RecordStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/v1/time-punches}. */
public final class TimePunchRoutes implements LanRoutes {
  private final TimePunches punches;

  public TimePunchRoutes(TimePunches punches) {
    this.punches = punches;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/time-punches", this::punch);
  }

  private void punch(Context ctx) {
    String key = RequestBody.idempotencyKey(ctx);
    JsonNode body =
        RequestBody.object(
            ctx,
            "{\"employee_id\": \"…\", \"pin\": \"…\", \"type\": \"clock_in\"}",
            4_096,
            "send only employee_id, pin and type");
    String employeeId = Fields.id(body, "employee_id", "employee_id", "the employee's id");
    String pin = Fields.text(body, "pin", "pin", 32, "the PIN the employee typed");
    String type = Fields.oneOf(body, "type", TimePunches.TYPES);
    RecordStore.WriteResult w = punches.punch(employeeId, pin, type, key);
    if (w.repeated()) {
      ctx.header(LanApi.REPLAYED_HEADER, "true");
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", w.record().id());
    view.put("version", w.record().version());
    view.putAll(w.record().data());
    ctx.status(201).json(view);
  }
}
