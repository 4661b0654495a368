package dev.olympus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesOfflineQueueTest {
  @TempDir Path dir;

  private static PendingWrite write(String op, String id) {
    return new PendingWrite(op, WriteMethod.PUT, "orders", id, Map.of("n", 1), 0);
  }

  @Test
  void open_tornLastLine_keepsTheWritesBeforeIt() throws Exception {
    Path file = dir.resolve("q.jsonl");
    try (JsonLinesOfflineQueue q = JsonLinesOfflineQueue.open(file)) {
      q.append(write("op-1", "a"));
      q.append(write("op-2", "b"));
      q.remove("op-1");
    }
    Files.writeString(
        file,
        "{\"kind\":\"add\",\"op_id\":\"op-3\",\"meth",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    try (JsonLinesOfflineQueue q = JsonLinesOfflineQueue.open(file)) {
      assertThat(q.size()).isEqualTo(1);
      assertThat(q.peek()).get().extracting(PendingWrite::opId).isEqualTo("op-2");
    }
  }

  @Test
  void remove_lastWrite_fileCompactedToEmpty() throws Exception {
    Path file = dir.resolve("q.jsonl");
    try (JsonLinesOfflineQueue q = JsonLinesOfflineQueue.open(file)) {
      for (int i = 0; i < 5; i++) {
        q.append(write("op-" + i, "r" + i));
      }
      for (int i = 0; i < 5; i++) {
        q.remove("op-" + i);
      }
      assertThat(q.size()).isZero();
    }
    assertThat(Files.size(file)).isZero();
  }
}
