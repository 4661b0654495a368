package dev.olympus.cloud.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.UniformFieldVersions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredFieldVersionsTest {
  private static RecordState state(Map<String, Object> data, Map<String, Long> fieldVersions) {
    return new RecordState("orders", "o1", data, 7, "edge-1", fieldVersions, false);
  }

  @Test
  void fieldVersionsJson_wholeRecordPut_storesOneVersionAndReadsBackEveryField() {
    Map<String, Object> data = new LinkedHashMap<>(Map.of("status", "open", "total", "12.50"));
    String stored =
        SyncStore.fieldVersionsJson(state(data, new UniformFieldVersions(data.keySet(), 42)));

    assertThat(stored).isEqualTo("42");
    assertThat(SyncStore.fieldVersions(stored, data))
        .isEqualTo(Map.of("status", 42L, "total", 42L));
  }

  @Test
  void fieldVersionsJson_uniformOverOtherFieldsThanTheData_storesEachField() {
    Map<String, Object> data = new LinkedHashMap<>(Map.of("status", "open", "note", "x"));
    Map<String, Object> written = Map.of("status", "open");
    String stored =
        SyncStore.fieldVersionsJson(state(data, new UniformFieldVersions(written.keySet(), 5)));

    assertThat(SyncStore.fieldVersions(stored, data)).isEqualTo(Map.of("status", 5L));
  }

  @Test
  void fieldVersionsJson_mergedVersionsWithOddFieldNames_roundTrip() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("*", 1);
    data.put("12", 2);
    data.put("quote\"d", 3);
    Map<String, Long> versions = Map.of("*", 3L, "12", 4L, "quote\"d", 5L);
    String stored = SyncStore.fieldVersionsJson(state(data, versions));

    assertThat(SyncStore.fieldVersions(stored, data)).isEqualTo(versions);
  }

  @Test
  void fieldVersionsJson_none_roundTripsEmpty() {
    String stored = SyncStore.fieldVersionsJson(state(Map.of(), Map.of()));

    assertThat(SyncStore.fieldVersions(stored, Map.of())).isEmpty();
  }
}
