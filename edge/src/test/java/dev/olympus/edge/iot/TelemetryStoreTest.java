package dev.olympus.edge.iot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.iot.DeviceType;
import dev.olympus.core.iot.TelemetryEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryStoreTest {
  @TempDir Path dir;

  static TelemetryEvent reading(long ts) {
    return new TelemetryEvent(
        "t1", "loc-1", "cooler-1", DeviceType.TEMPERATURE, ts, 35.0, "F", null, null, null);
  }

  @Test
  void prune_removesOnlyOldReadingsTheCloudAcknowledged_neverOnesOnTheirWay() {
    try (TelemetryStore store = TelemetryStore.open(dir)) {
      List<TelemetryEvent> events = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        events.add(reading(1_000L + i));
      }
      store.write(events, List.of(), null, 0);
      store
          .jdbi()
          .useHandle(
              h -> {
                h.execute(
                    "INSERT INTO forward_batches (batch_id, first_seq, created_at, readings, status)"
                        + " VALUES ('e:1', 1, 0, 4, 'acked'), ('e:5', 5, 0, 3, 'pending')");
                h.execute("UPDATE readings SET batch_id = 'e:1' WHERE seq <= 4");
                h.execute("UPDATE readings SET batch_id = 'e:5' WHERE seq BETWEEN 5 AND 7");
              });
      // Readings 1–4 were acknowledged, 5–7 are in a batch on its way, 8–10 in no batch yet.
      assertThat(store.prune(1_003L)).isEqualTo(3); // seq 1–3: acked and older than the cutoff
      assertThat(store.prune(2_000L)).isEqualTo(1); // seq 4
      assertThat(store.count()).isEqualTo(6);
      assertThat(store.unforwarded()).isEqualTo(6);
      int batches =
          store
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT count(*) FROM forward_batches")
                          .mapTo(Integer.class)
                          .one());
      assertThat(batches).as("the emptied acknowledged batch is gone").isEqualTo(1);
    }
  }
}
