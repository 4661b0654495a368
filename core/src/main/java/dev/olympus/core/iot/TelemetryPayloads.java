package dev.olympus.core.iot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Reads and writes the telemetry payloads of seed 000's topics. */
public final class TelemetryPayloads {
  public static final int MAX_PAYLOAD_BYTES = 4096;
  private static final JsonFactory JSON = new JsonFactory();

  private TelemetryPayloads() {}

  /** Parses a payload for a sensor or equipment-status topic; ts optional. */
  public static TelemetryEvent parse(Topic topic, byte[] payload, long receivedAtMillis)
      throws PayloadException {
    DeviceType type;
    String deviceId;
    if (topic instanceof SensorTopic s) {
      type = s.type();
      deviceId = s.deviceId();
    } else if (topic instanceof EquipmentStatusTopic e) {
      type = e.type();
      deviceId = e.deviceId();
    } else {
      throw new PayloadException("topic " + topic.name() + " carries no telemetry");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new PayloadException("payload over " + MAX_PAYLOAD_BYTES + " bytes");
    }
    Long ts = null;
    Double value = null;
    String unit = null;
    Boolean open = null;
    String state = null;
    StringWriter attrs = new StringWriter();
    boolean hasAttrs = false;
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new PayloadException("payload must be a JSON object");
      }
      try (JsonGenerator g = JSON.createGenerator(attrs)) {
        g.writeStartObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken v = p.nextToken();
          switch (f) {
            case "ts" -> {
              if (v != JsonToken.VALUE_NUMBER_INT) {
                throw new PayloadException("ts must be epoch milliseconds (an integer)");
              }
              ts = p.getLongValue();
            }
            case "value" -> {
              if (!v.isNumeric()) {
                throw new PayloadException("value must be a number");
              }
              value = p.getDoubleValue();
            }
            case "unit" -> {
              if (v != JsonToken.VALUE_STRING) {
                throw new PayloadException("unit must be a string");
              }
              unit = p.getText();
            }
            case "open" -> {
              if (!v.isBoolean()) {
                throw new PayloadException("open must be true or false");
              }
              open = p.getBooleanValue();
            }
            case "state" -> {
              if (v != JsonToken.VALUE_STRING) {
                throw new PayloadException("state must be a string");
              }
              state = p.getText();
            }
            default -> {
              g.writeFieldName(f);
              g.copyCurrentStructure(p);
              hasAttrs = true;
            }
          }
        }
        g.writeEndObject();
      }
      if (p.nextToken() != null) {
        throw new PayloadException("trailing data after the JSON object");
      }
    } catch (IOException e) {
      throw new PayloadException("payload is not valid JSON: " + e.getMessage());
    }
    long at = ts == null ? receivedAtMillis : ts;
    if (type == DeviceType.DOOR) {
      if (open == null) {
        throw new PayloadException("open is required for a door sensor (true or false)");
      }
      return new TelemetryEvent(
          topic.tenantId(), topic.locationId(), deviceId, type, at, null, null, open, null, null);
    }
    if (!type.isSensor()) {
      if (state == null) {
        throw new PayloadException("state is required for equipment status (a string)");
      }
      return new TelemetryEvent(
          topic.tenantId(),
          topic.locationId(),
          deviceId,
          type,
          at,
          null,
          null,
          null,
          state,
          hasAttrs ? attrs.toString() : null);
    }
    if (value == null || value.isNaN() || value.isInfinite()) {
      throw new PayloadException("value is required (a finite number)");
    }
    return new TelemetryEvent(
        topic.tenantId(), topic.locationId(), deviceId, type, at, value, unit, null, null, null);
  }

  /** The wire payload of an event. */
  public static byte[] encode(TelemetryEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("ts", event.tsMillis());
      if (event.value() != null) {
        g.writeNumberField("value", event.value());
      }
      if (event.unit() != null) {
        g.writeStringField("unit", event.unit());
      }
      if (event.open() != null) {
        g.writeBooleanField("open", event.open());
      }
      if (event.state() != null) {
        g.writeStringField("state", event.state());
      }
      if (event.attributesJson() != null) {
        try (JsonParser p = JSON.createParser(event.attributesJson())) {
          p.nextToken();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            g.writeFieldName(p.currentName());
            p.nextToken();
            g.copyCurrentStructure(p);
          }
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
