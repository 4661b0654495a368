package dev.olympus.cloud.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.http.Json;
import dev.olympus.core.iot.Alert;
import dev.olympus.core.iot.DeviceType;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.core.iot.TelemetryEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the edges' telemetry batches (wire contract): once per (edge, batch_id), with the batch
 * receipt, the readings and the forwarded alerts in one transaction. Readings of devices the
 * registry does not hold for the edge's location are counted as rejected and not stored.
 */
public final class EdgeBatches {
  private static final Logger log = LoggerFactory.getLogger(EdgeBatches.class);
  private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final long FUTURE_SLACK_MILLIS = 24L * 3600 * 1000;

  /** The answer to a batch. */
  public record Result(String batchId, int accepted, int rejected, boolean duplicate) {}

  private record Parsed(
      String batchId, List<TelemetryEvent> events, int rejected, List<Alert> alerts) {}

  private final Jdbi jdbi;
  private final TelemetryStore telemetry;
  private final AlertLog alerts;
  private final IotDevices devices;
  private final IotMetrics metrics;
  private final Clock clock;
  private final long maxInflatedBytes;

  public EdgeBatches(
      Jdbi jdbi,
      TelemetryStore telemetry,
      AlertLog alerts,
      IotDevices devices,
      IotMetrics metrics,
      Clock clock,
      long maxInflatedBytes) {
    this.jdbi = jdbi;
    this.telemetry = telemetry;
    this.alerts = alerts;
    this.devices = devices;
    this.metrics = metrics;
    this.clock = clock;
    this.maxInflatedBytes = maxInflatedBytes;
  }

  /** Inflates a gzip body, refusing (413) one that inflates past the limit. */
  public byte[] inflate(byte[] gzip) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, gzip.length * 4));
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxInflatedBytes) {
          throw new ApiException(
              413,
              "body_too_large",
              "the batch inflates past " + maxInflatedBytes + " bytes: send smaller batches",
              null);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw ApiException.badRequest(
          "invalid_gzip",
          "the body is not valid gzip (Content-Encoding: gzip): " + e.getMessage(),
          null);
    }
  }

  /** Parses and applies one batch of the edge at {@code tenantId}/{@code locationId}. */
  public Result apply(String tenantId, String locationId, String edgeDeviceId, ObjectNode body) {
    Parsed p = parse(tenantId, locationId, body);
    long now = clock.millis();
    Result r =
        jdbi.inTransaction(
            h -> {
              int claimed =
                  h.createUpdate(
                          "INSERT INTO iot_batches (tenant_id, edge_device_id, batch_id, accepted,"
                              + " rejected, received_at) VALUES (:t, :e, :b, :a, :r, :now)"
                              + " ON CONFLICT (tenant_id, edge_device_id, batch_id) DO NOTHING")
                      .bind("t", tenantId)
                      .bind("e", edgeDeviceId)
                      .bind("b", p.batchId())
                      .bind("a", p.events().size())
                      .bind("r", p.rejected())
                      .bind("now", now)
                      .execute();
              if (claimed == 0) {
                return h.createQuery(
                        "SELECT accepted, rejected FROM iot_batches WHERE tenant_id = :t"
                            + " AND edge_device_id = :e AND batch_id = :b")
                    .bind("t", tenantId)
                    .bind("e", edgeDeviceId)
                    .bind("b", p.batchId())
                    .map((rs, ctx) -> new Result(p.batchId(), rs.getInt(1), rs.getInt(2), true))
                    .one();
              }
              telemetry.insert(h, p.events(), "edge", now);
              for (Alert a : p.alerts()) {
                alerts.upsert(h, a, now);
              }
              return new Result(p.batchId(), p.events().size(), p.rejected(), false);
            });
    if (r.duplicate()) {
      metrics.duplicateBatch();
      log.info(
          "IoT batch {} of edge {} ({}/{}) received again: already stored, nothing stored twice",
          r.batchId(),
          edgeDeviceId,
          tenantId,
          locationId);
    } else {
      metrics.batch(r.accepted(), p.alerts().size());
      metrics.rejected("unknown_device", r.rejected());
      log.info(
          "IoT batch {} of edge {} ({}/{}): {} readings stored, {} rejected, {} alerts",
          r.batchId(),
          edgeDeviceId,
          tenantId,
          locationId,
          r.accepted(),
          r.rejected(),
          p.alerts().size());
    }
    return r;
  }

  private Parsed parse(String tenantId, String locationId, ObjectNode body) {
    String batchId =
        Bodies.requireMatching(
            body,
            "batch_id",
            BATCH_ID,
            "1 to 128 of A-Z a-z 0-9 _ . : - (e.g. edge-1:000000000042)");
    JsonNode events = body.get("events");
    if (events == null || events.isNull()) {
      throw ApiException.missingField("events");
    }
    if (!events.isArray()) {
      throw ApiException.invalidField(
          "events", "events must be an array, was " + Bodies.kind(events));
    }
    Map<String, IotDevice> known = devices.ofLocation(tenantId, locationId);
    long latest = clock.millis() + FUTURE_SLACK_MILLIS;
    List<TelemetryEvent> accepted = new ArrayList<>(events.size());
    int rejected = 0;
    for (int i = 0; i < events.size(); i++) {
      TelemetryEvent e = event(events.get(i), "events[" + i + "]", tenantId, locationId, latest);
      IotDevice d = known.get(e.deviceId());
      if (d == null || d.type() != e.deviceType()) {
        rejected++;
      } else {
        accepted.add(e);
      }
    }
    List<Alert> alertList = new ArrayList<>();
    JsonNode alertsNode = body.get("alerts");
    if (alertsNode != null && !alertsNode.isNull()) {
      if (!alertsNode.isArray()) {
        throw ApiException.invalidField(
            "alerts", "alerts must be an array, was " + Bodies.kind(alertsNode));
      }
      for (int i = 0; i < alertsNode.size(); i++) {
        alertList.add(AlertJson.read(alertsNode.get(i), "alerts[" + i + "]", tenantId, locationId));
      }
    }
    return new Parsed(batchId, accepted, rejected, alertList);
  }

  private static TelemetryEvent event(
      JsonNode n, String field, String tenantId, String locationId, long latest) {
    if (!n.isObject()) {
      throw ApiException.invalidField(field, field + " must be an object, was " + Bodies.kind(n));
    }
    String deviceId = Bodies.memberText(n, field, "device_id", true);
    String typeName = Bodies.memberText(n, field, "device_type", true);
    DeviceType type;
    try {
      type = DeviceType.fromWire(typeName);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(
          field + ".device_type", field + ".device_type: " + e.getMessage());
    }
    JsonNode ts = n.get("ts");
    if (ts == null || ts.isNull()) {
      throw ApiException.missingField(field + ".ts");
    }
    if (!ts.isIntegralNumber()
        || !ts.canConvertToLong()
        || ts.longValue() < 0
        || ts.longValue() > latest) {
      throw ApiException.invalidField(
          field + ".ts", field + ".ts must be epoch milliseconds, not in the future, was " + ts);
    }
    Double value = null;
    String unit = null;
    Boolean open = null;
    String state = null;
    String attributes = null;
    if (type == DeviceType.DOOR) {
      JsonNode o = n.get("open");
      if (o == null || !o.isBoolean()) {
        throw ApiException.invalidField(
            field + ".open", field + ".open must be true or false for a door");
      }
      open = o.booleanValue();
    } else if (type.isSensor()) {
      JsonNode v = n.get("value");
      if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
        throw ApiException.invalidField(field + ".value", field + ".value must be a number");
      }
      value = v.doubleValue();
      unit = Bodies.memberText(n, field, "unit", false);
    } else {
      state = Bodies.memberText(n, field, "state", true);
      JsonNode a = n.get("attributes");
      if (a != null && !a.isNull()) {
        if (!a.isObject()) {
          throw ApiException.invalidField(
              field + ".attributes",
              field + ".attributes must be an object, was " + Bodies.kind(a));
        }
        attributes = Json.write(a);
      }
    }
    return new TelemetryEvent(
        tenantId, locationId, deviceId, type, ts.longValue(), value, unit, open, state, attributes);
  }
}
