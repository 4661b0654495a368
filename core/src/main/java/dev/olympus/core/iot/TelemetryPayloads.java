package dev.olympus.core.iot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Set;

/** Parses and encodes telemetry payloads (see docs/iot.md). */
public final class TelemetryPayloads {
  /** Larger payloads are refused before parsing. */
  public static final int MAX_PAYLOAD_BYTES = 4096;

  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> UNITS = Set.of("F", "C", "%", "kWh", "W", "kW", "Wh");

  private TelemetryPayloads() {}

  /**
   * Parses a payload for a sensor or equipment-status topic; {@code ts} is optional (then
   * receivedAtMillis is used).
   *
   * @throws PayloadException naming the field and what is expected
   */
  public static TelemetryEvent parse(Topic topic, byte[] payload, long receivedAtMillis)
      throws PayloadException {
    DeviceType type;
    String deviceId;
    if (topic instanceof SensorTopic) {
      type = ((SensorTopic) topic).type();
      deviceId = ((SensorTopic) topic).deviceId();
    } else if (topic instanceof EquipmentStatusTopic) {
      type = ((EquipmentStatusTopic) topic).type();
      deviceId = ((EquipmentStatusTopic) topic).deviceId();
    } else {
      throw new PayloadException("topic: expected a sensors/ or equipment/…/status topic");
    }
    if (payload == null || payload.length == 0) {
      throw new PayloadException("payload: expected a JSON object, got nothing");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new PayloadException(
          "payload: at most " + MAX_PAYLOAD_BYTES + " bytes, got " + payload.length);
    }
    Long ts = null;
    Double value = null;
    String unit = null;
    Boolean open = null;
    String state = null;
    // Equipment's other fields are kept as attributes; a sensor's are ignored, so a reading (the
    // bulk of the traffic) never pays for a generator.
    StringWriter attributes = null;
    JsonGenerator attrs = null;
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new PayloadException("payload: expected a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "ts":
            if (v != JsonToken.VALUE_NUMBER_INT
                || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < 0) {
              throw new PayloadException(
                  "ts: expected epoch milliseconds (a non-negative integer)");
            }
            ts = p.getLongValue();
            break;
          case "value":
            if (!v.isNumeric()) {
              throw new PayloadException("value: expected a number");
            }
            double d = p.getDoubleValue();
            if (!Double.isFinite(d)) {
              throw new PayloadException("value: expected a finite number");
            }
            value = d;
            break;
          case "unit":
            if (v != JsonToken.VALUE_STRING || !UNITS.contains(p.getText())) {
              throw new PayloadException("unit: expected one of " + String.join(", ", UNITS));
            }
            unit = p.getText();
            break;
          case "open":
            if (!v.isBoolean()) {
              throw new PayloadException("open: expected true or false");
            }
            open = v == JsonToken.VALUE_TRUE;
            break;
          case "state":
            if (v != JsonToken.VALUE_STRING || p.getText().isEmpty() || p.getText().length() > 64) {
              throw new PayloadException("state: expected a string of 1 to 64 characters");
            }
            state = p.getText();
            break;
          default:
            if (type.isSensor()) {
              p.skipChildren();
            } else {
              if (attrs == null) {
                attributes = new StringWriter();
                attrs = JSON.createGenerator(attributes);
                attrs.writeStartObject();
              }
              attrs.writeFieldName(field);
              attrs.copyCurrentStructure(p);
            }
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new PayloadException("payload: malformed JSON object");
      }
      if (p.nextToken() != null) {
        throw new PayloadException("payload: trailing data after the JSON object");
      }
      if (attrs != null) {
        attrs.writeEndObject();
        attrs.close();
      }
    } catch (IOException e) {
      throw new PayloadException("payload: malformed JSON (" + firstLine(e.getMessage()) + ")");
    }
    long when = ts == null ? receivedAtMillis : ts;
    String tenant = topic.tenantId();
    String location = topic.locationId();
    switch (type) {
      case DOOR:
        if (open == null) {
          throw new PayloadException("open: required for a door sensor (true or false)");
        }
        return new TelemetryEvent(
            tenant, location, deviceId, type, when, null, null, open, null, null);
      case COOLER:
      case OVEN:
      case HVAC:
        if (state == null) {
          throw new PayloadException("state: required for equipment status (e.g. \"running\")");
        }
        String json = attributes == null ? null : attributes.toString();
        return new TelemetryEvent(
            tenant, location, deviceId, type, when, null, null, null, state, json);
      default:
        if (value == null) {
          throw new PayloadException(
              "value: required for a " + type.wireName() + " reading (a number)");
        }
        return new TelemetryEvent(
            tenant, location, deviceId, type, when, value, unit, null, null, null);
    }
  }

  /** The wire payload: {"ts":…,"value":…,"unit":…}, {"ts":…,"open":…} or {"ts":…,"state":…,…}. */
  public static byte[] encode(TelemetryEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("ts", event.tsMillis());
      if (event.value() != null) {
        g.writeNumberField("value", event.value());
        if (event.unit() != null) {
          g.writeStringField("unit", event.unit());
        }
      }
      if (event.open() != null) {
        g.writeBooleanField("open", event.open());
      }
      if (event.state() != null) {
        g.writeStringField("state", event.state());
        if (event.attributesJson() != null) {
          try (JsonParser p = JSON.createParser(event.attributesJson())) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                g.writeFieldName(p.currentName());
                p.nextToken();
                g.copyCurrentStructure(p);
              }
            }
          }
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
