package dev.olympus.core.iot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryPayloadsTest {
  private static final Topic TEMP = new SensorTopic("t1", "l1", DeviceType.TEMPERATURE, "c1");
  private static final Topic DOOR = new SensorTopic("t1", "l1", DeviceType.DOOR, "d1");
  private static final Topic OVEN = new EquipmentStatusTopic("t1", "l1", DeviceType.OVEN, "o1");

  private static TelemetryEvent parse(Topic topic, String json) throws PayloadException {
    return TelemetryPayloads.parse(topic, json.getBytes(UTF_8), 999L);
  }

  @Test
  void readingWithAndWithoutTs() throws Exception {
    TelemetryEvent e = parse(TEMP, "{\"ts\":1767225600000,\"value\":34.5,\"unit\":\"F\"}");
    assertThat(e)
        .isEqualTo(
            new TelemetryEvent(
                "t1",
                "l1",
                "c1",
                DeviceType.TEMPERATURE,
                1767225600000L,
                34.5,
                "F",
                null,
                null,
                null));
    assertThat(parse(TEMP, "{\"value\":35}").tsMillis()).isEqualTo(999L);
    assertThat(parse(TEMP, "{\"value\":35}").value()).isEqualTo(35.0);
  }

  @Test
  void doorAndEquipmentStatus() throws Exception {
    assertThat(parse(DOOR, "{\"ts\":5,\"open\":true}").open()).isTrue();
    TelemetryEvent oven =
        parse(OVEN, "{\"ts\":5,\"state\":\"running\",\"temp\":425,\"mode\":\"bake\"}");
    assertThat(oven.state()).isEqualTo("running");
    assertThat(oven.attributesJson()).isEqualTo("{\"temp\":425,\"mode\":\"bake\"}");
    assertThat(parse(OVEN, "{\"state\":\"off\"}").attributesJson()).isNull();
  }

  @Test
  void encodeRoundTrips() throws Exception {
    for (String[] c :
        new String[][] {
          {"T", "{\"ts\":7,\"value\":34.5,\"unit\":\"F\"}"},
          {"D", "{\"ts\":7,\"open\":false}"},
          {"O", "{\"ts\":7,\"state\":\"running\",\"temp\":425}"}
        }) {
      Topic t = c[0].equals("T") ? TEMP : c[0].equals("D") ? DOOR : OVEN;
      TelemetryEvent e = parse(t, c[1]);
      assertThat(new String(TelemetryPayloads.encode(e), UTF_8)).isEqualTo(c[1]);
      assertThat(TelemetryPayloads.parse(t, TelemetryPayloads.encode(e), 0)).isEqualTo(e);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{|payload",
        "not json|payload",
        "[1,2]|payload",
        "{\"value\":\"hot\"}|value",
        "{\"value\":true}|value",
        "{\"unit\":\"F\"}|value",
        "{\"value\":NaN}|payload",
        "{\"value\":1e400}|value",
        "{\"value\":34,\"ts\":\"now\"}|ts",
        "{\"value\":34,\"ts\":-5}|ts",
        "{\"value\":34,\"ts\":99999999999999999999999}|ts",
        "{\"value\":34,\"ts\":1.5}|ts",
        "{\"value\":34,\"unit\":\"K\"}|unit",
        "{\"value\":34} {}|payload",
      })
  void refusesBadReadings(String json, String field) {
    assertThatThrownBy(() -> parse(TEMP, json))
        .isInstanceOf(PayloadException.class)
        .hasMessageStartingWith(field);
  }

  @Test
  void refusesBadDoorAndStatusPayloads() {
    assertThatThrownBy(() -> parse(DOOR, "{\"open\":\"yes\"}")).hasMessageStartingWith("open");
    assertThatThrownBy(() -> parse(DOOR, "{\"ts\":1}")).hasMessageStartingWith("open");
    assertThatThrownBy(() -> parse(OVEN, "{\"temp\":1}")).hasMessageStartingWith("state");
    assertThatThrownBy(() -> parse(OVEN, "{\"state\":3}")).hasMessageStartingWith("state");
  }

  @Test
  void refusesOversizedEmptyAndNonTelemetryTopics() {
    byte[] big = ("{\"value\":1,\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes(UTF_8);
    assertThatThrownBy(() -> TelemetryPayloads.parse(TEMP, big, 0))
        .hasMessageContaining(String.valueOf(TelemetryPayloads.MAX_PAYLOAD_BYTES));
    assertThatThrownBy(() -> TelemetryPayloads.parse(TEMP, new byte[0], 0))
        .isInstanceOf(PayloadException.class);
    assertThatThrownBy(() -> parse(new CommandTopic("t1", "l1", "d1"), "{\"value\":1}"))
        .hasMessageStartingWith("topic");
  }

  @Test
  void unitsAllowed() throws Exception {
    for (String u : new String[] {"F", "C", "%", "kWh", "W"}) {
      assertThat(parse(TEMP, "{\"value\":1,\"unit\":\"" + u + "\"}").unit()).isEqualTo(u);
    }
  }
}
